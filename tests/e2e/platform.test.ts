/**
 * The platform end to end: real processes, real Postgres, Temporal dev server, chDB, through the gateway.
 */
import { SDK_METRICS_IN_DASHBOARDS } from '../../workflows/worker-metrics';
import { CONTEXT_HEADER, signContext } from '../../services/shared/request-context';
import { codeOf, customerToken, dataOf, graphql } from '../helpers/graphql';
import { TestStack, startGatewayReplica, startTestStack } from '../helpers/stack';

jest.setTimeout(180_000);

let env: TestStack;
const keys: Record<'agent' | 'analyst' | 'widget', string> = { agent: '', analyst: '', widget: '' };
let token: string;
let answeredConversationId: string;

const gw = (query: string, variables: Record<string, unknown>, apiKey?: string, customer?: string) =>
  graphql(env.gatewayUrl, query, variables, { apiKey, customerToken: customer });

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) {
    decision handOffReason confidence latencyMs
    conversation { id status }
    message { author text citations { version passage knowledgeItem { id title } } }
  }
}`;

beforeAll(async () => {
  env = await startTestStack({}, { workerSdkMetrics: true });
  for (const role of ['agent', 'analyst', 'widget'] as const) {
    const created = dataOf(
      await gw('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { role } } }', { input: { role: role.toUpperCase(), label: `${role} key` } }, env.adminKey),
    );
    keys[role] = created.createApiKey.secret;
  }
  dataOf(await gw('mutation { upsertAccount(input: { externalId: "acme", name: "Acme Corp", plan: "pro", seats: 12 }) { id } }', {}, env.adminKey));
  dataOf(await gw('mutation { upsertCustomer(input: { externalId: "cust-1", email: "ana@acme.test", accountExternalId: "acme" }) { id } }', {}, env.adminKey));
  dataOf(
    await gw(
      'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }',
      {
        input: {
          title: 'Resetting your password',
          body: 'To reset your password, open Settings, choose Security and click "Reset password". We email you a reset link that works for 30 minutes.',
          topic: 'login',
        },
      },
      env.adminKey,
    ),
  );
  token = await customerToken(env.customerTokenSecret, 'cust-1');
});

afterAll(async () => {
  await env?.stop();
});

describe('one request through the gateway', () => {
  it('answers a customer question from the knowledge base, citing the article version', async () => {
    const result = dataOf(await gw(ASK, { input: { text: 'How do I reset my password?', page: '/settings', channel: 'in_app' } }, keys.widget, token));
    expect(result.ask.decision).toBe('ANSWERED');
    expect(result.ask.message.author).toBe('AI');
    expect(result.ask.message.citations).toHaveLength(1);
    expect(result.ask.message.citations[0]).toMatchObject({ version: 1, knowledgeItem: { title: 'Resetting your password' } });
    expect(result.ask.message.text).toContain('Reset password');
    answeredConversationId = result.ask.conversation.id;
  });

  it('refuses a channel name that is not a lowercase token, recording nothing', async () => {
    const refused = await gw(ASK, { input: { text: 'How do I reset my password?', channel: 'In App!' } }, keys.widget, token);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
  });

  it('resolves entities across all four subgraphs in one query', async () => {
    const query = `{
      workspace {
        id name
        knowledgeItemCount
        activity { questions answered handedOff }
        conversations(page: { first: 5 }) {
          edges { node {
            id channel
            customer { externalId email account { name plan seats } }
            messages { author citations { version knowledgeItem { title topic } } }
          } }
        }
      }
    }`;
    // The relay moves the ask's outbox events into the warehouse within moments; wait for them. An admin
    // reads analytics and personal data both (an analyst gets no customer; see "analysts and personal data").
    let workspace: any;
    for (let attempt = 0; attempt < 50; attempt++) {
      workspace = dataOf(await gw(query, {}, env.adminKey)).workspace;
      if (workspace.activity.questions >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(workspace.id).toBe(env.workspaceId);
    expect(workspace.name).toBe('E2E workspace');
    expect(workspace.knowledgeItemCount).toBe(1);
    expect(workspace.activity).toEqual({ questions: 1, answered: 1, handedOff: 0 });
    const conversation = workspace.conversations.edges[0].node;
    expect(conversation.id).toBe(answeredConversationId);
    expect(conversation.channel).toBe('in_app');
    expect(conversation.customer).toEqual({ externalId: 'cust-1', email: 'ana@acme.test', account: { name: 'Acme Corp', plan: 'pro', seats: 12 } });
    expect(conversation.messages.map((m: { author: string }) => m.author)).toEqual(['CUSTOMER', 'AI']);
    expect(conversation.messages[1].citations[0].knowledgeItem).toEqual({ title: 'Resetting your password', topic: 'login' });
  });

  it("reports support figures in the workspace's time zone, which the gateway fetches from account-context", async () => {
    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const query = `query($input: SupportMetricsInput!) { workspace { timeZone support(input: $input) { timeZone totals { questions answered automationRate } buckets { start } } } }`;
    const workspace = dataOf(await gw(query, { input: { from, to, granularity: 'DAY' } }, keys.analyst)).workspace;
    expect(workspace.support.timeZone).toBe(workspace.timeZone);
    expect(workspace.support.totals).toEqual({ questions: 1, answered: 1, automationRate: 1 });
    const byChannel = async (channel: string) => dataOf(await gw(query, { input: { from, to, granularity: 'DAY', channel } }, keys.analyst)).workspace.support.totals.questions;
    expect([await byChannel('in_app'), await byChannel('email')]).toEqual([1, 0]);
    expect(codeOf(await gw(query, { input: { from, to } }, keys.agent))).toBe('FORBIDDEN');
  });

  it('reports stale content through the gateway, resolving the cited items in knowledge', async () => {
    const report = dataOf(await gw('{ workspace { staleContent(input: { uncitedDays: 30 }) { stillServed { timesServed knowledgeItem { title } } uncited { knowledgeItem { title } } } } }', {}, keys.analyst))
      .workspace.staleContent;
    // Nothing here was flagged stale, and the only article was published and cited minutes ago.
    expect(report).toEqual({ stillServed: [], uncited: [] });
  });

  it('hands off a question nothing in the knowledge base answers', async () => {
    const result = dataOf(await gw(ASK, { input: { text: 'Can I pay the invoice in Swiss francs by cheque?' } }, keys.widget, token));
    expect(result.ask.decision).toBe('HANDED_OFF');
    expect(result.ask.message.citations).toEqual([]);
    expect(result.ask.conversation.status).toBe('HANDED_OFF');
  });
});

describe('operations endpoints', () => {
  it('every process answers /health and /ready, and exports Prometheus metrics including answer decisions on its metrics port', async () => {
    for (const [name, url] of Object.entries(env.stack.urls)) {
      const base = new URL('/', url);
      expect({ name, health: (await fetch(new URL('/health', base))).status, ready: (await fetch(new URL('/ready', base))).status }).toEqual({ name, health: 200, ready: 200 });
    }
    const metrics = await (await fetch(env.stack.metricsUrls.conversation)).text();
    expect(metrics).toMatch(/loopdesk_answer_decisions_total\{decision="answered",reason="",service="conversation"\} [1-9]/);
    expect(metrics).toContain('loopdesk_ask_duration_seconds_bucket');
    expect(metrics).toMatch(/loopdesk_handoff_backlog\{service="conversation"\} [1-9]/);
    expect(metrics).toContain('loopdesk_escalation_commands_pending');
    expect(metrics).toContain('loopdesk_graphql_request_duration_seconds_bucket');
    const insights = await (await fetch(env.stack.metricsUrls.insights)).text();
    expect(insights).toContain('loopdesk_relay_lag_seconds');
    // The worker serves the Temporal SDK's own metrics (workflow-task latency and more) on the same endpoint.
    // The hand-off above started an escalation; its first workflow task shows up in the SDK's latency histogram.
    let worker = '';
    for (let attempt = 0; attempt < 50 && !worker.includes('temporal_workflow_task_execution_latency_bucket'); attempt++) {
      worker = await (await fetch(env.stack.metricsUrls.worker)).text();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(worker).toContain('process_resident_memory_bytes');
    for (const name of SDK_METRICS_IN_DASHBOARDS) expect(worker).toContain(`${name}_bucket`);
  });
});

describe('authentication at the gateway', () => {
  const query = '{ workspace { id name } }';

  it('refuses a request without a key with UNAUTHENTICATED and no data', async () => {
    const result = await gw(query, {});
    expect(result.status).toBe(401);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('refuses a wrong key', async () => {
    const result = await gw(query, {}, 'ldk_admin_not-a-real-key');
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('refuses a revoked key', async () => {
    const created = dataOf(await gw('mutation { createApiKey(input: { role: AGENT, label: "short-lived" }) { secret apiKey { id } } }', {}, env.adminKey)).createApiKey;
    expect(dataOf(await gw(query, {}, created.secret)).workspace.id).toBe(env.workspaceId);
    dataOf(await gw('mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { revokedAt } }', { input: { id: created.apiKey.id } }, env.adminKey));
    expect(codeOf(await gw(query, {}, created.secret))).toBe('UNAUTHENTICATED');
  });

  it('a revoked key fails on the next request at every gateway replica, even with verdicts cached for 30 s', async () => {
    const replicas = await Promise.all([startGatewayReplica(env, { AUTH_CACHE_TTL_MS: '30000' }), startGatewayReplica(env, { AUTH_CACHE_TTL_MS: '30000' })]);
    try {
      const created = dataOf(await gw('mutation { createApiKey(input: { role: AGENT, label: "cached" }) { secret apiKey { id } } }', {}, env.adminKey)).createApiKey;
      for (const replica of replicas) {
        for (let i = 0; i < 3; i++) expect(dataOf(await graphql(replica.url, query, {}, { apiKey: created.secret })).workspace.id).toBe(env.workspaceId);
      }
      dataOf(await graphql(replicas[0]!.url, 'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { revokedAt } }', { input: { id: created.apiKey.id } }, { apiKey: env.adminKey }));
      for (const replica of replicas) expect(codeOf(await graphql(replica.url, query, {}, { apiKey: created.secret }))).toBe('UNAUTHENTICATED');
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });

  it('refuses a customer token that lives longer than the maximum lifetime (24 h)', async () => {
    const tenYears = await customerToken(env.customerTokenSecret, 'cust-1', '3650d');
    const result = await gw(ASK, { input: { text: 'How do I reset my password?' } }, keys.widget, tenYears);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/at most 86400 seconds/);
  });

  it('refuses to revoke the last admin key (CONFLICT), so a workspace cannot lock itself out', async () => {
    const keysOf = dataOf(await gw('{ workspace { apiKeys { id role revokedAt } } }', {}, env.adminKey)).workspace.apiKeys;
    const admins = keysOf.filter((k: any) => k.role === 'ADMIN' && k.revokedAt === null);
    expect(admins).toHaveLength(1);
    const result = await gw('mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { revokedAt } }', { input: { id: admins[0].id } }, env.adminKey);
    expect(codeOf(result)).toBe('CONFLICT');
    expect(dataOf(await gw(query, {}, env.adminKey)).workspace.id).toBe(env.workspaceId);
  });

  it('refuses a customer token not signed with the workspace secret', async () => {
    const forged = await customerToken('a-secret-the-attacker-made-up-000000', 'cust-1');
    const result = await gw(ASK, { input: { text: 'How do I reset my password?' } }, keys.widget, forged);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
  });

  it('stores keys hashed: the database never holds a key itself', async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    const { rows } = await client.query('SELECT key_hash FROM account_context.api_keys');
    await client.end();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(Object.values(keys)).not.toContain(row.key_hash);
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('roles', () => {
  it('a widget key cannot list conversations', async () => {
    const result = await gw('{ workspace { conversations { edges { node { id } } } } }', {}, keys.widget, token);
    expect(codeOf(result)).toBe('FORBIDDEN');
  });

  it('an analyst key cannot publish articles', async () => {
    const result = await gw('mutation { createArticle(input: { title: "x", body: "y" }) { id } }', {}, keys.analyst);
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
  });

  it('an agent key cannot create API keys', async () => {
    const result = await gw('mutation { createApiKey(input: { role: ADMIN, label: "escalate" }) { secret } }', {}, keys.agent);
    expect(codeOf(result)).toBe('FORBIDDEN');
  });

  it('a workspace admin cannot create workspaces (FORBIDDEN); that takes an operator key', async () => {
    const result = await gw('mutation { createWorkspace(input: { name: "Shadow" }) { adminKey } }', {}, env.adminKey);
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
  });

  it('an operator key reads no workspace data', async () => {
    expect(codeOf(await gw('{ workspace { id name } }', {}, env.operatorKey))).toBe('FORBIDDEN');
    expect(codeOf(await gw('{ workspace { conversations { edges { node { id } } } } }', {}, env.operatorKey))).toBe('FORBIDDEN');
  });
});

describe('analysts and personal data', () => {
  const TRANSCRIPT = 'query($id: ID!) { conversation(id: $id) { id messages { author text } customer { id email } } }';
  const grant = (analystsSeePersonalData: boolean) =>
    gw('mutation($input: UpdateWorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { analystsSeePersonalData } }', { input: { analystsSeePersonalData } }, env.adminKey);

  afterAll(async () => {
    if (env?.adminKey) await grant(false);
  });

  it("an analyst reads the customer's questions but not the replies, and not the customer", async () => {
    const result = await gw(TRANSCRIPT, { id: answeredConversationId }, keys.analyst);
    const conversation = result.data!.conversation;
    expect(conversation.messages.length).toBeGreaterThan(0);
    expect(new Set(conversation.messages.map((m: any) => m.author))).toEqual(new Set(['CUSTOMER']));
    expect(conversation.messages[0].text).toBe('How do I reset my password?');
    // The reference keeps only the opaque id; the customer's fields are refused.
    expect(conversation.customer).toEqual({ id: expect.any(String), email: null });
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toMatch(/Customers are personal data/);
    expect(JSON.stringify(result)).not.toContain('ana@acme.test');
    expect(codeOf(await gw('{ workspace { conversations { edges { node { messages { author } } } } } }', {}, keys.analyst))).toBeUndefined();
  });

  it('an agent reads the whole transcript and the customer', async () => {
    const conversation = dataOf(await gw(TRANSCRIPT, { id: answeredConversationId }, keys.agent)).conversation;
    expect(conversation.messages.map((m: any) => m.author).slice(0, 2)).toEqual(['CUSTOMER', 'AI']);
    expect(conversation.customer.email).toBe('ana@acme.test');
  });

  it('once the admin grants personal data, the analyst reads the whole transcript and the customer; an analyst cannot grant it', async () => {
    expect(codeOf(await gw('mutation { updateWorkspaceSettings(input: { analystsSeePersonalData: true }) { id } }', {}, keys.analyst))).toBe('FORBIDDEN');
    expect(dataOf(await grant(true)).updateWorkspaceSettings.analystsSeePersonalData).toBe(true);
    const conversation = dataOf(await gw(TRANSCRIPT, { id: answeredConversationId }, keys.analyst)).conversation;
    expect(conversation.messages.map((m: any) => m.author).slice(0, 2)).toEqual(['CUSTOMER', 'AI']);
    expect(conversation.customer.email).toBe('ana@acme.test');
  });
});

describe('subgraphs refuse anything that did not come through the gateway', () => {
  const query = '{ workspace { id name } }';
  const direct = (headers: Record<string, string>) => graphql(env.stack.urls['account-context'], query, {}, { headers });
  const context = () => ({ workspaceId: env.workspaceId, role: 'admin' as const, subject: 'attacker', requestId: 'r-1' });

  it.each(['conversation', 'knowledge', 'account-context', 'insights'] as const)('%s refuses a request with no context header', async (name) => {
    const result = await graphql(env.stack.urls[name], '{ __typename }', {});
    expect(result.status).toBe(401);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
  });

  it('refuses a context signed with another secret', async () => {
    const result = await direct({ [CONTEXT_HEADER]: signContext(context(), 'not-the-internal-secret-but-long-00000') });
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('refuses a tampered context', async () => {
    const [, signature] = signContext({ ...context(), role: 'widget' }, env.hmacSecret).split('.');
    const payload = Buffer.from(JSON.stringify({ ...context(), issuedAt: Date.now() })).toString('base64url');
    const result = await direct({ [CONTEXT_HEADER]: `${payload}.${signature}` });
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
  });

  it('accepts a correctly signed context (so the refusals above are about the signature)', async () => {
    const result = await direct({ [CONTEXT_HEADER]: signContext(context(), env.hmacSecret) });
    expect(dataOf(result).workspace.id).toBe(env.workspaceId);
  });
});

describe('workspace isolation', () => {
  let otherAdmin: string;
  let customerId: string;
  let knowledgeItemId: string;

  beforeAll(async () => {
    const created = dataOf(
      await gw('mutation { createWorkspace(input: { name: "Other Co", timeZone: "Europe/Paris" }) { workspace { id timeZone } adminKey } }', {}, env.operatorKey),
    ).createWorkspace;
    expect(created.workspace.timeZone).toBe('Europe/Paris');
    otherAdmin = created.adminKey;
    const conversation = dataOf(
      await gw('query($id: ID!) { conversation(id: $id) { customer { id } messages { citations { knowledgeItem { id } } } } }', { id: answeredConversationId }, keys.agent),
    ).conversation;
    customerId = conversation.customer.id;
    knowledgeItemId = conversation.messages.flatMap((m: any) => m.citations)[0].knowledgeItem.id;
  });

  it('a conversation id from another workspace is NOT_FOUND', async () => {
    const result = await gw('query($id: ID!) { conversation(id: $id) { id } }', { id: answeredConversationId }, otherAdmin);
    expect(codeOf(result)).toBe('NOT_FOUND');
    expect(result.data ?? null).toBeNull();
  });

  it('a customer id from another workspace is NOT_FOUND', async () => {
    expect(codeOf(await gw('query($id: ID!) { customer(id: $id) { email } }', { id: customerId }, otherAdmin))).toBe('NOT_FOUND');
  });

  it('a knowledge item id from another workspace is NOT_FOUND', async () => {
    expect(codeOf(await gw('query($id: ID!) { knowledgeItem(id: $id) { body } }', { id: knowledgeItemId }, otherAdmin))).toBe('NOT_FOUND');
  });

  it("the other workspace sees none of this workspace's data", async () => {
    const workspace = dataOf(await gw('{ workspace { name knowledgeItemCount conversations { edges { node { id } } } activity { questions } } }', {}, otherAdmin)).workspace;
    expect(workspace).toEqual({ name: 'Other Co', knowledgeItemCount: 0, conversations: { edges: [] }, activity: { questions: 0 } });
  });
});

describe('bad input', () => {
  it.each([
    ['an empty question', { text: '   ' }, /empty/],
    ['an oversized question', { text: 'x'.repeat(5000) }, /bytes/],
    ['a malformed conversation id', { text: 'hello', conversationId: 'not-an-id' }, /UUID/],
  ])('%s is BAD_USER_INPUT with a clear message', async (_case, input, message) => {
    const result = await gw(ASK, { input }, keys.widget, token);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it('an unknown time zone is BAD_USER_INPUT', async () => {
    const result = await gw('mutation { createWorkspace(input: { name: "X", timeZone: "Mars/Olympus" }) { adminKey } }', {}, env.operatorKey);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });

  it('a time zone in another letter case is stored as IANA spells it, so the warehouse can bucket by it', async () => {
    const created = dataOf(await gw('mutation { createWorkspace(input: { name: "Lower Co", timeZone: "europe/paris" }) { workspace { id timeZone } adminKey } }', {}, env.operatorKey)).createWorkspace;
    expect(created.workspace.timeZone).toBe('Europe/Paris');
    const support = (key: string) =>
      gw('query($input: SupportMetricsInput!) { workspace { timeZone support(input: $input) { timeZone totals { questions } } } }', { input: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() } }, key);
    expect(dataOf(await support(created.adminKey)).workspace).toEqual({ timeZone: 'Europe/Paris', support: { timeZone: 'Europe/Paris', totals: { questions: 0 } } });
    // A workspace stored with another spelling before this rule reads canonically, and its insights work.
    const { Client } = await import('pg');
    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      await client.query(`UPDATE account_context.workspaces SET time_zone = 'asia/tokyo' WHERE id = $1`, [created.workspace.id]);
    } finally {
      await client.end();
    }
    const legacy = await support(created.adminKey);
    expect(legacy.errors).toBeUndefined();
    expect(legacy.data?.workspace.support.timeZone).toBe('Asia/Tokyo');
  });

  it('an invalid email is BAD_USER_INPUT and names the field, not the value', async () => {
    const result = await gw('mutation { upsertCustomer(input: { externalId: "c-9", email: "not-an-email" }) { id } }', {}, env.adminKey);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result.errors)).toContain('email');
    expect(JSON.stringify(result.errors)).not.toContain('not-an-email');
  });

  it('a query with more aliases than allowed is refused before it runs', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `w${i}: workspace { id }`).join(' ');
    const result = await gw(`{ ${aliases} }`, {}, keys.agent);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('a query whose nested pages (sizes in variables or page inputs too) would return too many nodes is refused before it runs', async () => {
    const NESTED =
      'query($n: Int) { workspace { conversations(page: { first: 100 }) { edges { node { customer { conversations(first: $n) { edges { node { customer { conversations(first: $n) { edges { node { id } } } } } } } } } } } } }';
    const refused = await gw(NESTED, { n: 100 }, keys.agent);
    expect(refused.data ?? null).toBeNull();
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/nodes/);
    // The same shape with small pages runs.
    const small = await gw(NESTED, { n: 5 }, keys.agent);
    expect(small.errors).toBeUndefined();
    expect(small.data?.workspace.conversations.edges).toEqual(expect.any(Array));
  });

  it('a query nested deeper than allowed is refused before it runs', async () => {
    const deepest = '{ workspace { conversations { edges { node { messages { citations { knowledgeItem { id } } } } } } } }';
    expect(dataOf(await gw(deepest, {}, keys.agent)).workspace).toBeDefined();
    // Inline fragments nest without end, so they can exceed any depth limit.
    let selection = 'id';
    for (let i = 0; i < 15; i++) selection = `... on Workspace { ${selection} }`;
    const result = await gw(`{ workspace { ${selection} } }`, {}, keys.agent);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
    // So do introspection types; only admins may introspect (tests/e2e/gateway-surface.test.ts), anyone else is refused.
    let typeSelection = 'name';
    for (let i = 0; i < 14; i++) typeSelection = `ofType { ${typeSelection} }`;
    const introspection = await gw(`{ __schema { types { fields { type { ${typeSelection} } } } } }`, {}, keys.agent);
    expect(introspection.data ?? null).toBeNull();
    expect(codeOf(introspection)).toBe('FORBIDDEN');
  });
});
