/**
 * What the answerer gets about an asker (questionContext), open bugs for agents, and account and customer
 * upserts with their new profile fields — against real Postgres, through the subgraph's GraphQL endpoint.
 */
import { issueEvent, subscriptionEvent } from '../unit/account-context-payloads';
import { outboxEvents, useAccountContextHarness } from './account-context-harness';

jest.setTimeout(60_000);

const sut = useAccountContextHarness();

const QUESTION_CONTEXT = `query($input: QuestionContextInput!) {
  questionContext(input: $input) {
    customer { externalId email attributes account { externalId } }
    account { externalId plan billingState seats featureFlags segments signedUpAt }
    openBugs { externalId title productAreas accountExternalIds accounts { externalId } }
    page
    pageProductAreas
  }
}`;

const UPSERT_ACCOUNT = `mutation($input: UpsertAccountInput!) {
  upsertAccount(input: $input) { id externalId name plan billingState seats signedUpAt onboardedAt usage featureFlags segments attributes }
}`;

const UPSERT_CUSTOMER = `mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id externalId attributes account { externalId } } }`;

/** A workspace with an account and its customer, bugs from the tracker, and a second account with its own bug. */
async function seededWorkspace() {
  const workspaceId = await sut.createWorkspace();
  const billing = await sut.createWebhookSecret(workspaceId, 'BILLING');
  const tracker = await sut.createWebhookSecret(workspaceId, 'BUG_TRACKER');
  await sut.postWebhook({
    provider: 'billing',
    workspaceId,
    secret: billing,
    body: subscriptionEvent({ status: 'past_due', quantity: 8, accountExternalId: 'acme', accountName: 'Acme', nickname: 'Business' }),
  });
  const account = await sut.graphql(workspaceId, 'admin', UPSERT_ACCOUNT, {
    input: { externalId: 'acme', name: 'Acme', featureFlags: ['new-editor'], segments: ['enterprise'], signedUpAt: '2025-02-01T00:00:00.000Z' },
  });
  expect(account.errors).toBeUndefined();
  const customer = await sut.graphql(workspaceId, 'admin', UPSERT_CUSTOMER, { input: { externalId: 'ana', email: 'ana@acme.test', accountExternalId: 'acme' } });
  const issues = [
    issueEvent({ id: 'ACME-EXPORT', title: 'CSV export times out for Acme', labels: ['area:reports'], accountExternalIds: ['acme'], createdAt: '2026-01-01T00:00:00.000Z' }),
    issueEvent({ id: 'INVOICE-CURRENCY', title: 'Invoices show the wrong currency', labels: ['area:billing'], accountExternalIds: [], createdAt: '2026-02-01T00:00:00.000Z' }),
    issueEvent({ id: 'SSO-LOOP', title: 'SSO login loops', labels: ['area:login'], accountExternalIds: ['globex'], createdAt: '2026-02-02T00:00:00.000Z' }),
    issueEvent({ id: 'OLD-BILLING', title: 'Fixed billing bug', labels: ['area:billing'], accountExternalIds: ['acme'], stateType: 'completed', completedAt: '2026-02-03T00:00:00.000Z' }),
  ];
  for (const body of issues) expect((await sut.postWebhook({ provider: 'bug-tracker', workspaceId, secret: tracker, body })).status).toBe(200);
  return { workspaceId, customerId: customer.data!.upsertCustomer.id as string, accountId: account.data!.upsertAccount.id as string };
}

describe('questionContext', () => {
  it("gives the asker's plan, billing state and the open bugs that affect them: their account's, then the page's", async () => {
    const { workspaceId, customerId } = await seededWorkspace();
    const result = await sut.graphql(workspaceId, 'system', QUESTION_CONTEXT, { input: { customerId, page: '/billing/invoices/inv_123' } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.questionContext).toEqual({
      customer: { externalId: 'ana', email: 'ana@acme.test', attributes: {}, account: { externalId: 'acme' } },
      account: {
        externalId: 'acme',
        plan: 'business',
        billingState: 'PAST_DUE',
        seats: 8,
        featureFlags: ['new-editor'],
        segments: ['enterprise'],
        signedUpAt: '2025-02-01T00:00:00.000Z',
      },
      openBugs: [
        { externalId: 'ACME-EXPORT', title: 'CSV export times out for Acme', productAreas: ['reports'], accountExternalIds: ['acme'], accounts: [{ externalId: 'acme' }] },
        { externalId: 'INVOICE-CURRENCY', title: 'Invoices show the wrong currency', productAreas: ['billing'], accountExternalIds: [], accounts: [] },
      ],
      page: '/billing/invoices/inv_123',
      pageProductAreas: ['billing', 'invoices'],
    });
  });

  it("gives only the account's bugs when no page is known, and is allowed to agents", async () => {
    const { workspaceId, customerId } = await seededWorkspace();
    const result = await sut.graphql(workspaceId, 'agent', QUESTION_CONTEXT, { input: { customerId } });
    expect(result.data!.questionContext.openBugs.map((bug: { externalId: string }) => bug.externalId)).toEqual(['ACME-EXPORT']);
    expect(result.data!.questionContext.pageProductAreas).toEqual([]);
  });

  it('answers for a customer without an account with page bugs only', async () => {
    const { workspaceId } = await seededWorkspace();
    const loner = await sut.graphql(workspaceId, 'system', UPSERT_CUSTOMER, { input: { externalId: 'loner' } });
    const result = await sut.graphql(workspaceId, 'system', QUESTION_CONTEXT, { input: { customerId: loner.data!.upsertCustomer.id, page: 'https://app.example/login' } });
    expect(result.data!.questionContext.account).toBeNull();
    expect(result.data!.questionContext.openBugs.map((bug: { externalId: string }) => bug.externalId)).toEqual(['SSO-LOOP']);
  });

  it('is NOT_FOUND for a customer of another workspace', async () => {
    const { customerId } = await seededWorkspace();
    const otherWorkspace = await sut.createWorkspace();
    const result = await sut.graphql(otherWorkspace, 'system', QUESTION_CONTEXT, { input: { customerId, page: '/billing' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(result.data).toBeNull();
  });

  it('is BAD_USER_INPUT for an id that is not one of ours, and FORBIDDEN for a widget', async () => {
    const { workspaceId, customerId } = await seededWorkspace();
    expect((await sut.graphql(workspaceId, 'system', QUESTION_CONTEXT, { input: { customerId: 'ana' } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await sut.graphql(workspaceId, 'widget', QUESTION_CONTEXT, { input: { customerId } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await sut.graphql(workspaceId, 'analyst', QUESTION_CONTEXT, { input: { customerId } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('openBugs', () => {
  const OPEN_BUGS = `query($filter: OpenBugsFilter, $page: BugsPage) {
    openBugs(filter: $filter, page: $page) { edges { cursor node { externalId } } pageInfo { hasNextPage endCursor } }
  }`;
  const ids = (result: any) => result.data.openBugs.edges.map((edge: { node: { externalId: string } }) => edge.node.externalId);

  it('lists open bugs newest first, page by page', async () => {
    const { workspaceId } = await seededWorkspace();
    const first = await sut.graphql(workspaceId, 'agent', OPEN_BUGS, { page: { first: 2 } });
    expect(ids(first)).toEqual(['SSO-LOOP', 'INVOICE-CURRENCY']);
    expect(first.data!.openBugs.pageInfo.hasNextPage).toBe(true);
    const second = await sut.graphql(workspaceId, 'agent', OPEN_BUGS, { page: { first: 2, after: first.data!.openBugs.pageInfo.endCursor } });
    expect(ids(second)).toEqual(['ACME-EXPORT']);
    expect(second.data!.openBugs.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by account and by product area, and never shows another workspace', async () => {
    const { workspaceId, accountId } = await seededWorkspace();
    expect(ids(await sut.graphql(workspaceId, 'agent', OPEN_BUGS, { filter: { accountId } }))).toEqual(['ACME-EXPORT']);
    expect(ids(await sut.graphql(workspaceId, 'agent', OPEN_BUGS, { filter: { productArea: 'Billing' } }))).toEqual(['INVOICE-CURRENCY']);
    const otherWorkspace = await sut.createWorkspace();
    expect(ids(await sut.graphql(otherWorkspace, 'agent', OPEN_BUGS, {}))).toEqual([]);
    expect((await sut.graphql(otherWorkspace, 'agent', OPEN_BUGS, { filter: { accountId } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('is BAD_USER_INPUT for a cursor it did not issue, and for a page size outside 1 to 100', async () => {
    const { workspaceId } = await seededWorkspace();
    for (const page of [{ after: 'garbage' }, { first: 0 }, { first: 101 }, { after: '' }]) {
      expect({ page, code: (await sut.graphql(workspaceId, 'agent', OPEN_BUGS, { page })).errors?.[0]?.extensions?.code }).toEqual({ page, code: 'BAD_USER_INPUT' });
    }
  });
});

describe('account and customer upserts', () => {
  it('set dates, usage, flags, segments and attributes, merging maps and replacing lists, each change with its event', async () => {
    const workspaceId = await sut.createWorkspace();
    const created = await sut.graphql(workspaceId, 'admin', UPSERT_ACCOUNT, {
      input: {
        externalId: 'initech',
        name: 'Initech',
        signedUpAt: '2025-03-01T10:00:00.000Z',
        usage: { api_calls: 10, exports: 1 },
        featureFlags: ['a', 'b'],
        attributes: { industry: 'software', csm: 'lee' },
      },
    });
    expect(created.errors).toBeUndefined();
    const updated = await sut.graphql(workspaceId, 'admin', UPSERT_ACCOUNT, {
      input: { externalId: 'initech', name: 'Initech', plan: null, usage: { api_calls: 25 }, featureFlags: ['c'], attributes: { csm: null, tier: 2 }, onboardedAt: '2025-03-10T00:00:00.000Z' },
    });
    expect(updated.data!.upsertAccount).toMatchObject({
      plan: 'free',
      signedUpAt: '2025-03-01T10:00:00.000Z',
      onboardedAt: '2025-03-10T00:00:00.000Z',
      usage: { api_calls: 25, exports: 1 },
      featureFlags: ['c'],
      segments: [],
      attributes: { industry: 'software', tier: 2 },
    });
    const unchanged = await sut.graphql(workspaceId, 'admin', UPSERT_ACCOUNT, { input: { externalId: 'initech', name: 'Initech', usage: { api_calls: 25 } } });
    expect(unchanged.errors).toBeUndefined();
    const events = await outboxEvents(sut.db, workspaceId);
    expect(events.map((e) => e.type)).toEqual(['account_created', 'account_updated']);
    expect(events[1]!.payload).toMatchObject({ accountId: created.data!.upsertAccount.id, source: 'api' });
    expect(events[1]!.payload.changed.sort()).toEqual(['attributes', 'featureFlags', 'onboardedAt', 'usage']);
  });

  it('accept usage and attributes written inline in the query as well as in variables', async () => {
    const workspaceId = await sut.createWorkspace();
    const result = await sut.graphql(
      workspaceId,
      'admin',
      'mutation { upsertAccount(input: { externalId: "inline", name: "Inline", usage: { seats_used: 4 }, attributes: { tier: "gold", vip: true } }) { usage attributes } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.upsertAccount).toEqual({ usage: { seats_used: 4 }, attributes: { tier: 'gold', vip: true } });
  });

  it('refuse invalid profile fields as BAD_USER_INPUT, writing nothing', async () => {
    const workspaceId = await sut.createWorkspace();
    const before = await sut.writeCounts(workspaceId);
    for (const input of [
      { externalId: 'x', name: 'X', attributes: { address: { city: 'Paris' } } },
      { externalId: 'x', name: 'X', usage: { api_calls: -3 } },
      { externalId: 'x', name: 'X', featureFlags: [''] },
    ]) {
      const result = await sut.graphql(workspaceId, 'admin', UPSERT_ACCOUNT, { input });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await sut.writeCounts(workspaceId)).toEqual(before);
  });

  it('give customers attributes, and ensuring an existing customer again writes no event', async () => {
    const workspaceId = await sut.createWorkspace();
    const created = await sut.graphql(workspaceId, 'admin', UPSERT_CUSTOMER, { input: { externalId: 'kim', email: 'kim@initech.test', attributes: { role: 'owner' } } });
    expect(created.data!.upsertCustomer).toMatchObject({ externalId: 'kim', attributes: { role: 'owner' }, account: null });
    await sut.graphql(workspaceId, 'system', UPSERT_CUSTOMER, { input: { externalId: 'kim' } });
    await sut.graphql(workspaceId, 'system', UPSERT_CUSTOMER, { input: { externalId: 'kim' } });
    const events = await outboxEvents(sut.db, workspaceId);
    expect(events.map((e) => e.type)).toEqual(['customer_created']);
    expect(JSON.stringify(events[0]!.payload)).not.toContain('kim@initech.test');
  });

  it('refuse a customer for an account that does not exist as NOT_FOUND, writing nothing', async () => {
    const workspaceId = await sut.createWorkspace();
    const result = await sut.graphql(workspaceId, 'admin', UPSERT_CUSTOMER, { input: { externalId: 'kim', accountExternalId: 'nope' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await sut.writeCounts(workspaceId)).toMatchObject({ customers: 0, outbox_events: 0 });
  });
});
