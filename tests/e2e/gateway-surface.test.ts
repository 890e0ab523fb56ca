/**
 * What the public gateway port shows and accepts, by role: introspection and field suggestions for admin keys
 * only, alias and directive limits that count everything, JSON for every error (unreadable or oversized bodies
 * included), NUL characters and halves of surrogate pairs refused as BAD_USER_INPUT, a value a subgraph's scalar
 * refuses reported as BAD_USER_INPUT (not as an outage), and no /metrics on the public ports.
 */
import { connect } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { codeOf, customerToken, dataOf, graphql } from '../helpers/graphql';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';

jest.setTimeout(180_000);

let env: TestStack;
const keys: Record<'admin' | 'agent' | 'analyst' | 'widget', string> = { admin: '', agent: '', analyst: '', widget: '' };
let token: string;

const gw = (query: string, variables: Record<string, unknown>, apiKey: string, customer?: string) => graphql(env.gatewayUrl, query, variables, { apiKey, customerToken: customer });

beforeAll(async () => {
  env = await startTestStack();
  keys.admin = env.adminKey;
  for (const role of ['agent', 'analyst', 'widget'] as const) {
    const created = dataOf(await gw('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { role: role.toUpperCase(), label: role } }, keys.admin));
    keys[role] = created.createApiKey.secret;
  }
  dataOf(await gw('mutation { upsertCustomer(input: { externalId: "cust-1", email: "ana@acme.test" }) { id } }', {}, keys.admin));
  token = await customerToken(env.customerTokenSecret, 'cust-1');
});

afterAll(async () => {
  await env?.stop();
});

/** A raw POST to the gateway, for bodies the GraphQL helper would never send. */
async function post(body: string, apiKey = keys.widget) {
  const response = await fetch(env.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** No HTML page, stack frame or absolute path of the deployment in a response body. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/<html|<pre>|<!DOCTYPE/i);
  expect(text).not.toMatch(/\bat \S+ \(/);
  expect(text).not.toContain(REPO_ROOT);
  expect(text).not.toContain('node_modules');
}

describe('introspection', () => {
  it.each(['widget', 'analyst', 'agent'] as const)('is refused to a %s key with FORBIDDEN before it runs', async (role) => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Workspace") { fields { name } } }', '{ workspace { id } __schema { types { name } } }']) {
      const result = await gw(query, {}, keys[role], role === 'widget' ? token : undefined);
      expect({ query, status: result.status, code: codeOf(result), data: result.data ?? null }).toEqual({ query, status: 403, code: 'FORBIDDEN', data: null });
    }
  });

  it("passes for an admin key: the standard introspection query (GraphiQL's, Sandbox's) loads the whole schema despite the depth limit", async () => {
    const result = await gw(getIntrospectionQuery(), {}, keys.admin);
    expect(result.errors).toBeUndefined();
    const types = (result.data as any).__schema.types.map((type: { name: string }) => type.name);
    expect(types).toEqual(expect.arrayContaining(['Query', 'Mutation', 'Workspace', 'AskInput']));
  });

  it('passes for an admin key with the options GraphiQL and Apollo Sandbox turn on (deprecated arguments, repeatable directives, descriptions)', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    const result = await gw(query, {}, keys.admin);
    expect(result.errors).toBeUndefined();
    const ask = (result.data as any).__schema.types.find((type: { name: string }) => type.name === 'AskInput');
    expect(ask.kind).toBe('INPUT_OBJECT');
    expect(ask.inputFields.map((field: { name: string }) => field.name)).toContain('text');
  });

  it('answers an introspection query asking for isOneOf, which federation does not support, as a validation failure naming it', async () => {
    const result = await gw(getIntrospectionQuery({ oneOf: true }), {}, keys.admin);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('isOneOf'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });

  it('serves Apollo Sandbox to a browser at the GraphQL URL, pointed at that URL', async () => {
    const response = await fetch(env.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('EmbeddedSandbox');
    expect(page).toContain('initialEndpoint');
  });

  it('still lets every caller ask for __typename', async () => {
    expect(dataOf(await gw('{ __typename }', {}, keys.widget, token))).toEqual({ __typename: 'Query' });
  });
});

describe('field suggestions', () => {
  const typos = [
    ['a misspelt field', '{ workspace { nme } }'],
    ['a misspelt enum value', 'mutation { createApiKey(input: { role: ADMN, label: "x" }) { secret } }'],
    ['a misspelt input field', 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }'],
  ] as const;
  const variablesFor = (query: string) => (query.includes('$input') ? { input: { role: 'ADMIN', lable: 'x' } } : {});

  it.each(typos)('are not given to a widget or analyst key for %s', async (_case, query) => {
    for (const role of ['widget', 'analyst'] as const) {
      const result = await gw(query, variablesFor(query), keys[role], role === 'widget' ? token : undefined);
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.data ?? null).toBeNull();
      expect(JSON.stringify(result.errors)).not.toMatch(/did you mean/i);
    }
  });

  it.each(typos)('are given to an admin key for %s', async (_case, query) => {
    const result = await gw(query, variablesFor(query), keys.admin);
    expect(JSON.stringify(result.errors)).toMatch(/Did you mean/);
  });
});

describe('query limits count everything', () => {
  const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ');

  it('counts aliased __typename against the alias limit', async () => {
    expect(dataOf(await gw(`{ ${typenames(30)} }`, {}, keys.widget, token)).t29).toBe('Query');
    const result = await gw(`{ ${typenames(31)} }`, {}, keys.widget, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/alias/i);
    // A limit is not a syntax error: the operation parsed.
    expect(result.errors?.[0]?.message).toMatch(/^Aliases limit of 30 exceeded/);
  });

  it('refuses unknown directives with one error instead of one per directive', async () => {
    const result = await gw(`{ __typename ${'@aa'.repeat(10)} }`, {}, keys.widget, token);
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(codeOf(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/Unknown directive "@aa"/);
    expect(result.errors!.length).toBeLessThanOrEqual(2);
  });

  it('refuses more than 50 directives, counting those on inline fragments', async () => {
    const fragments = (n: number) => Array.from({ length: n }, () => '... on Query @include(if: true) { __typename }').join(' ');
    expect(dataOf(await gw(`{ ${fragments(50)} }`, {}, keys.widget, token))).toEqual({ __typename: 'Query' });
    const result = await gw(`{ ${fragments(51)} }`, {}, keys.widget, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/Directives limit of 50/);
  });
});

describe('every error is JSON with extensions.code', () => {
  it('malformed JSON is 400 BAD_USER_INPUT', async () => {
    const response = await post('{"query": "{ __typename }", ');
    expect(response.status).toBe(400);
    expect(response.contentType).toMatch(/application\/json/);
    expect(JSON.parse(response.text)).toEqual({ errors: [{ message: expect.stringMatching(/JSON/), extensions: { code: 'BAD_USER_INPUT' } }] });
    expectNoInternals(response.text);
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(300 * 1024) } }));
    expect(response.status).toBe(413);
    expect(response.contentType).toMatch(/application\/json/);
    expect(JSON.parse(response.text)).toEqual({ errors: [{ message: expect.stringMatching(/limit/), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    expectNoInternals(response.text);
  });

  it('headers over the server limit are 431 with a JSON error, not an empty body', async () => {
    const response = await fetch(env.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${'k'.repeat(20_000)}` }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.stringMatching(/headers are larger/), extensions: { code: 'BAD_USER_INPUT' } }] });
    expectNoInternals(text);
  });

  it('a request that is not HTTP is 400 with a JSON error', async () => {
    const { port, hostname } = new URL(env.gatewayUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: 'The request is not valid HTTP', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('a path nothing serves is 404 NOT_FOUND', async () => {
    const response = await fetch(new URL('/nothing-here', env.gatewayUrl));
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe('NOT_FOUND');
    expectNoInternals(text);
  });
});

describe('NUL characters', () => {
  const NUL = '\u0000';
  const ASK = 'mutation($input: AskInput!) { ask(input: $input) { decision } }';
  const CREATE_ARTICLE = 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }';
  const UPDATE_ARTICLE = 'mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { id } }';
  const UPSERT_CUSTOMER = 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }';
  let articleId: string;

  beforeAll(async () => {
    articleId = dataOf(await gw(CREATE_ARTICLE, { input: { title: 'Exporting invoices', body: 'Open Billing, choose Invoices and press Export.' } }, keys.admin)).createArticle.id;
  });

  const cases: Array<[string, () => [string, Record<string, unknown>, 'admin' | 'widget'], string]> = [
    ['ask text', () => [ASK, { input: { text: `How do I export${NUL} invoices?` } }, 'widget'], 'input.text'],
    ['ask page', () => [ASK, { input: { text: 'How do I export invoices?', page: `/billing${NUL}` } }, 'widget'], 'input.page'],
    ['an article title', () => [CREATE_ARTICLE, { input: { title: `Refunds${NUL}`, body: 'Refunds take five days.' } }, 'admin'], 'input.title'],
    ['an article tag', () => [CREATE_ARTICLE, { input: { title: 'Refunds', body: 'Refunds take five days.', tags: ['billing', `x${NUL}`] } }, 'admin'], 'input.tags[1]'],
    ['an updated article body', () => [UPDATE_ARTICLE, { input: { id: articleId, body: `Open Billing${NUL}` } }, 'admin'], 'input.body'],
    ['a customer id', () => [UPSERT_CUSTOMER, { input: { externalId: `cust${NUL}2` } }, 'admin'], 'input.externalId'],
    ['a customer name', () => [UPSERT_CUSTOMER, { input: { externalId: 'cust-2', name: `Ana${NUL}` } }, 'admin'], 'input.name'],
    ['a customer attribute', () => [UPSERT_CUSTOMER, { input: { externalId: 'cust-2', attributes: { plan: `pro${NUL}` } } }, 'admin'], 'input.attributes.plan'],
  ];

  it.each(cases)('in %s (a variable) is BAD_USER_INPUT naming the variable', async (_case, request, path) => {
    const [query, variables, role] = request();
    const result = await gw(query, variables, keys[role], role === 'widget' ? token : undefined);
    expect({ status: result.status, code: codeOf(result), data: result.data ?? null }).toEqual({ status: 400, code: 'BAD_USER_INPUT', data: null });
    expect(result.errors?.[0]?.message).toContain(`"$${path}"`);
  });

  it.each([
    ['ask text', 'mutation { ask(input: { text: "How do I export\\u0000 invoices?" }) { decision } }', 'widget', 'input.text'],
    ['an article body', 'mutation { createArticle(input: { title: "Refunds", body: "Five\\u0000 days" }) { id } }', 'admin', 'input.body'],
    ['a customer email', 'mutation { upsertCustomer(input: { externalId: "cust-3", email: "a\\u0000@acme.test" }) { id } }', 'admin', 'input.email'],
  ] as const)('in %s (a literal) is BAD_USER_INPUT naming the argument', async (_case, query, role, path) => {
    const result = await gw(query, {}, keys[role], role === 'widget' ? token : undefined);
    expect({ status: result.status, code: codeOf(result), data: result.data ?? null }).toEqual({ status: 400, code: 'BAD_USER_INPUT', data: null });
    expect(result.errors?.[0]?.message).toContain(`"${path}"`);
  });

  it('writes nothing when refused', async () => {
    const count = async () => dataOf(await gw('{ workspace { knowledgeItemCount } }', {}, keys.admin)).workspace.knowledgeItemCount;
    const before = await count();
    expect(codeOf(await gw(CREATE_ARTICLE, { input: { title: `Refunds${NUL}`, body: 'Refunds take five days.' } }, keys.admin))).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });
});

describe('half of a surrogate pair (a character cut in two)', () => {
  it.each([
    ['ask text', 'mutation($input: AskInput!) { ask(input: $input) { decision } }', { input: { text: 'hello \ud800 my card arrived' } }, 'widget', 'input.text'],
    ['a customer name', 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }', { input: { externalId: 'cust-4', name: 'Ana \ude00' } }, 'admin', 'input.name'],
  ] as const)('in %s (a variable) is BAD_USER_INPUT naming the variable, and nothing is written', async (_case, query, variables, role, path) => {
    const conversations = async () => dataOf(await gw('{ workspace { conversations(page: { first: 100 }) { edges { node { id } } } } }', {}, keys.admin)).workspace.conversations.edges.length;
    const before = await conversations();
    const result = await gw(query, variables, keys[role], role === 'widget' ? token : undefined);
    expect({ status: result.status, code: codeOf(result), data: result.data ?? null }).toEqual({ status: 400, code: 'BAD_USER_INPUT', data: null });
    expect(result.errors?.[0]?.message).toContain(`"$${path}"`);
    expect(result.errors?.[0]?.message).toContain('surrogate');
    expect(await conversations()).toBe(before);
  });
});

describe("a value a subgraph's scalar refuses", () => {
  const SUPPORT = 'query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions } } } }';
  const SEARCH = 'query($input: SearchInboxInput!) { searchInbox(input: $input) { edges { node { id } } } }';

  it.each([
    ['a date that is not one, in a variable', SUPPORT, { input: { from: 'last week', to: '2026-12-01T00:00:00Z' } }, 'analyst'],
    ['a day that does not exist, in a variable', SUPPORT, { input: { from: '2026-13-45T00:00:00Z', to: '2026-12-01T00:00:00Z' } }, 'analyst'],
    ['a number for a date, in a variable', SUPPORT, { input: { from: 12345, to: '2026-12-01T00:00:00Z' } }, 'analyst'],
    ["an inbox search's date, in a variable", SEARCH, { input: { waitingSinceBefore: 'yesterday' } }, 'agent'],
  ] as const)('%s is BAD_USER_INPUT with the reason, not UNAVAILABLE', async (_case, query, variables, role) => {
    const result = await gw(query, variables, keys[role]);
    expect({ code: codeOf(result), retryAfter: result.headers.get('retry-after') }).toEqual({ code: 'BAD_USER_INPUT', retryAfter: null });
    expect(result.status).not.toBe(503);
    expect(result.errors?.[0]?.message).toMatch(/DateTime|date/i);
  });

  it.each([
    ['support', '{ workspace { support(input: { from: "last week", to: "2026-12-01T00:00:00Z" }) { totals { questions } } } }', 'analyst'],
    ['an inbox search', '{ searchInbox(input: { waitingSinceBefore: "yesterday" }) { edges { node { id } } } }', 'agent'],
  ] as const)('in a literal of %s is BAD_USER_INPUT too', async (_case, query, role) => {
    const result = await gw(query, {}, keys[role]);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.status).not.toBe(503);
    expect(result.errors?.[0]?.message).toMatch(/DateTime|date/i);
  });
});

describe('metrics', () => {
  it('are not served on any public port, only on each process own metrics port', async () => {
    for (const [name, url] of Object.entries(env.stack.urls)) {
      const onPublicPort = await fetch(new URL('/metrics', url));
      const text = await onPublicPort.text();
      expect({ name, status: onPublicPort.status }).toEqual({ name, status: 404 });
      expect(text).not.toContain('process_resident_memory_bytes');
      const onMetricsPort = await fetch(env.stack.metricsUrls[name as keyof typeof env.stack.metricsUrls]);
      expect({ name, status: onMetricsPort.status }).toEqual({ name, status: 200 });
      expect(await onMetricsPort.text()).toContain(`process_resident_memory_bytes{service="${name}"}`);
    }
  });
});
