/**
 * The conversation service's askers' context cache against the real account-context subgraph on real Postgres:
 * account-context's own changes (a plan, a customer moved to another account, a new bug) reach the kept context
 * once they commit, because its tables NOTIFY and the cache LISTENs; other workspaces' contexts stay kept; a new
 * customer evicts nothing; and after the listening connection is lost, what was kept before is dropped.
 */
import { Registry } from 'prom-client';
import { AccountContextClient } from '../../services/conversation/clients/account-context';
import { ACCOUNT_CONTEXT_CHANGED_CHANNEL, askerContextCacheListening } from '../../services/conversation/clients/account-context-changes';
import type { PgNotifications } from '../../services/shared/pg-notifications';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { createLogger } from '../../services/shared/logger';
import { eventually } from '../helpers/eventually';
import { issueEvent } from '../unit/account-context-payloads';
import { useAccountContextHarness } from './account-context-harness';

jest.setTimeout(60_000);

/** Far beyond any wait below: whatever changes in a kept context changed because of a notification. */
const TTL_MS = 600_000;
/** How long a committed change may take to reach the cache here (a busy shared machine included). */
const HEARD_WITHIN_MS = 10_000;

const accountContext = useAccountContextHarness();
const registry = new Registry();
let changes: PgNotifications;
let sut: AccountContextClient;

beforeAll(async () => {
  const listening = askerContextCacheListening(accountContext.databaseUrl, TTL_MS, createLogger('test', 'silent'), registry);
  changes = listening.changes;
  changes.start();
  await eventually(() => changes.listening, Boolean, HEARD_WITHIN_MS, 20);
  sut = new AccountContextClient(new InternalGraphQLClient(`${accountContext.baseUrl}/graphql`, accountContext.hmacSecret), listening.cache);
});

afterAll(async () => {
  await changes?.stop();
});

const UPSERT_ACCOUNT = 'mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }';
const UPSERT_CUSTOMER = 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }';

async function admin(workspaceId: string, query: string, input: Record<string, unknown>): Promise<any> {
  const result = await accountContext.graphql(workspaceId, 'admin', query, { input });
  expect(result.errors).toBeUndefined();
  return result.data;
}

/** A workspace with an account on `plan` and one customer of it. */
async function askerOn(plan: string): Promise<{ workspaceId: string; customerId: string }> {
  const workspaceId = await accountContext.createWorkspace();
  await admin(workspaceId, UPSERT_ACCOUNT, { externalId: 'acme', name: 'Acme', plan });
  const customerId = (await admin(workspaceId, UPSERT_CUSTOMER, { externalId: 'ana', accountExternalId: 'acme' })).upsertCustomer.id as string;
  return { workspaceId, customerId };
}

let sentinel: { workspaceId: string; customerId: string } | undefined;
let sentinelChanges = 0;

/**
 * Resolves once every change committed so far has reached the cache: notifications arrive in commit order, so once
 * a change made now in a workspace of its own is heard, every earlier one was. Costs lookups of its own (misses).
 */
async function heardSoFar(): Promise<void> {
  sentinel ??= await askerOn('free');
  const { workspaceId, customerId } = sentinel;
  await sut.questionContext(workspaceId, customerId, null);
  const plan = `plan-${++sentinelChanges}`;
  await admin(workspaceId, UPSERT_ACCOUNT, { externalId: 'acme', name: 'Acme', plan });
  const seen = await eventually(() => sut.questionContext(workspaceId, customerId, null), (context) => context.plan === plan, HEARD_WITHIN_MS, 20);
  expect(seen.plan).toBe(plan);
}

async function calls(): Promise<number> {
  const { values } = await registry.getSingleMetric('loopdesk_asker_context_cache_total')!.get();
  return values.find((value) => value.labels.result === 'miss')?.value ?? 0;
}

describe("askers' context kept in the conversation service", () => {
  it("account-context's committed changes reach the kept context; other workspaces' contexts stay kept", async () => {
    const asker = await askerOn('team');
    const bystander = await askerOn('free');
    await heardSoFar();
    const contextOf = ({ workspaceId, customerId }: { workspaceId: string; customerId: string }) => sut.questionContext(workspaceId, customerId, '/billing');
    const callsBefore = await calls();
    expect((await contextOf(asker)).plan).toBe('team');
    expect((await contextOf(asker)).plan).toBe('team');
    expect((await contextOf(bystander)).plan).toBe('free');
    expect(await calls()).toBe(callsBefore + 2);

    // The plan changes: the next lookups after the notification see it, at the cost of one call.
    await admin(asker.workspaceId, UPSERT_ACCOUNT, { externalId: 'acme', name: 'Acme', plan: 'business' });
    expect((await eventually(() => contextOf(asker), (c) => c.plan === 'business', HEARD_WITHIN_MS, 20)).plan).toBe('business');
    expect(await calls()).toBe(callsBefore + 3);
    expect((await contextOf(bystander)).plan).toBe('free');
    expect(await calls()).toBe(callsBefore + 3);

    // The customer moves to another account.
    await admin(asker.workspaceId, UPSERT_ACCOUNT, { externalId: 'globex', name: 'Globex', plan: 'enterprise' });
    await admin(asker.workspaceId, UPSERT_CUSTOMER, { externalId: 'ana', accountExternalId: 'globex' });
    expect((await eventually(() => contextOf(asker), (c) => c.plan === 'enterprise', HEARD_WITHIN_MS, 20)).plan).toBe('enterprise');

    // A bug on their account is filed.
    const tracker = await accountContext.createWebhookSecret(asker.workspaceId, 'BUG_TRACKER');
    const filed = await accountContext.postWebhook({ provider: 'bug-tracker', workspaceId: asker.workspaceId, secret: tracker, body: issueEvent({ id: 'GLOBEX-SSO', title: 'SSO login loops', labels: ['area:login'], accountExternalIds: ['globex'] }) });
    expect(filed.status).toBe(200);
    const withBug = await eventually(() => contextOf(asker), (c) => c.openBugs.length > 0, HEARD_WITHIN_MS, 20);
    expect(withBug.openBugs.map((bug) => bug.title)).toEqual(['SSO login loops']);
  });

  it('a new customer evicts nothing', async () => {
    const asker = await askerOn('team');
    await heardSoFar();
    await sut.questionContext(asker.workspaceId, asker.customerId, null);
    await admin(asker.workspaceId, UPSERT_CUSTOMER, { externalId: 'bob', accountExternalId: 'acme' });
    await heardSoFar();
    const callsBefore = await calls();
    await sut.questionContext(asker.workspaceId, asker.customerId, null);
    expect(await calls()).toBe(callsBefore);
  });

  it('after the listening connection is lost and back, contexts kept before are dropped: changes meanwhile were announced to nobody', async () => {
    const asker = await askerOn('team');
    expect((await sut.questionContext(asker.workspaceId, asker.customerId, null)).plan).toBe('team');
    // A change nobody announces (its trigger off): the kept context is served, stale.
    await accountContext.db.query('ALTER TABLE account_context.accounts DISABLE TRIGGER accounts_announce_context_change');
    try {
      await admin(asker.workspaceId, UPSERT_ACCOUNT, { externalId: 'acme', name: 'Acme', plan: 'business' });
    } finally {
      await accountContext.db.query('ALTER TABLE account_context.accounts ENABLE TRIGGER accounts_announce_context_change');
    }
    expect((await sut.questionContext(asker.workspaceId, asker.customerId, null)).plan).toBe('team');

    const listener = async () => {
      const { rows } = await accountContext.db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [`listen ${ACCOUNT_CONTEXT_CHANGED_CHANNEL}`]);
      return rows.map((row) => row.pid);
    };
    const [cut] = await listener();
    expect(cut).toBeDefined();
    await accountContext.db.query('SELECT pg_terminate_backend($1)', [cut]);
    // Listening again on a connection of its own (no lookup in between: the kept context is still there until then).
    const back = await eventually(async () => ({ pids: await listener(), listening: changes.listening }), ({ pids, listening }) => listening && pids.length === 1 && pids[0] !== cut, HEARD_WITHIN_MS, 20);
    expect(back.listening).toBe(true);
    expect((await sut.questionContext(asker.workspaceId, asker.customerId, null)).plan).toBe('business');
  });
});
