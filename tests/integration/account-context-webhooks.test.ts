/**
 * Signed webhooks into account-context, against real Postgres: each provider's happy path, and every way a
 * delivery is refused leaving nothing written.
 */
import { signWebhook } from '../../services/account-context/webhook/webhook-signature';
import { companyEvent, issueEvent, subscriptionEvent } from '../unit/account-context-payloads';
import { AccountContextHarness, outboxEvents, useAccountContextHarness } from './account-context-harness';

jest.setTimeout(60_000);

const sut = useAccountContextHarness();

const ACCOUNT = `query($id: ID!) { account(id: $id) { externalId name plan billingState seats signedUpAt onboardedAt segments attributes } }`;

async function accountByExternalId(workspaceId: string, externalId: string) {
  const { rows } = await sut.db.query(`SELECT id FROM account_context.accounts WHERE workspace_id = $1 AND external_id = $2`, [workspaceId, externalId]);
  if (rows.length === 0) return null;
  const result = await sut.graphql(workspaceId, 'agent', ACCOUNT, { id: rows[0].id });
  return result.data!.account;
}

async function deliveries(workspaceId: string) {
  const { rows } = await sut.db.query(
    `SELECT provider, delivery_id, event_type, outcome FROM account_context.webhook_deliveries WHERE workspace_id = $1 ORDER BY received_at`,
    [workspaceId],
  );
  return rows;
}

describe('webhook secrets', () => {
  it('are created by admins, shown once, and rotated by creating them again', async () => {
    const workspaceId = await sut.createWorkspace();
    const query = 'mutation($input: CreateWebhookSecretInput!) { createWebhookSecret(input: $input) { provider secret endpointPath previousSecretValidUntil } }';
    const first = await sut.graphql(workspaceId, 'admin', query, { input: { provider: 'BUG_TRACKER' } });
    expect(first.data!.createWebhookSecret).toMatchObject({ provider: 'BUG_TRACKER', endpointPath: '/webhooks/bug-tracker', previousSecretValidUntil: null });
    expect(first.data!.createWebhookSecret.secret).toMatch(/^whsec_/);
    const second = await sut.graphql(workspaceId, 'admin', query, { input: { provider: 'BUG_TRACKER' } });
    expect(second.data!.createWebhookSecret.secret).not.toBe(first.data!.createWebhookSecret.secret);
    expect(Date.parse(second.data!.createWebhookSecret.previousSecretValidUntil)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await outboxEvents(sut.db, workspaceId)).map((e) => e.type)).toEqual(['webhook_secret_created', 'webhook_secret_rotated']);
    expect(JSON.stringify(await outboxEvents(sut.db, workspaceId))).not.toContain('whsec_');
  });

  it('cannot be created by an agent', async () => {
    const workspaceId = await sut.createWorkspace();
    const result = await sut.graphql(workspaceId, 'agent', 'mutation { createWebhookSecret(input: { provider: CRM }) { secret } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keep the previous secret working after a rotation', async () => {
    const workspaceId = await sut.createWorkspace();
    const old = await sut.createWebhookSecret(workspaceId, 'BILLING');
    const current = await sut.createWebhookSecret(workspaceId, 'BILLING');
    expect((await sut.postWebhook({ provider: 'billing', workspaceId, secret: old, body: subscriptionEvent({ accountExternalId: 'a1' }) })).status).toBe(200);
    expect((await sut.postWebhook({ provider: 'billing', workspaceId, secret: current, body: subscriptionEvent({ accountExternalId: 'a2' }) })).status).toBe(200);
  });
});

describe('billing webhooks', () => {
  it('create the account from a new subscription, then follow its updates and its deletion', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'BILLING');
    const created = await sut.postWebhook({
      provider: 'billing',
      workspaceId,
      secret,
      deliveryId: 'evt_created',
      body: subscriptionEvent({ type: 'customer.subscription.created', status: 'trialing', quantity: 3, accountExternalId: 'acme', accountName: 'Acme Corp' }),
    });
    expect(created).toEqual({
      status: 200,
      body: { received: true, deliveryId: 'evt_created', eventType: 'customer.subscription.created', outcome: 'applied', detail: 'created' },
    });
    expect(await accountByExternalId(workspaceId, 'acme')).toMatchObject({ name: 'Acme Corp', plan: 'pro', billingState: 'TRIALING', seats: 3 });

    const updated = await sut.postWebhook({ provider: 'billing', workspaceId, secret, body: subscriptionEvent({ status: 'past_due', quantity: 20, accountExternalId: 'acme' }) });
    expect(updated.body.detail).toBe('updated');
    expect(await accountByExternalId(workspaceId, 'acme')).toMatchObject({ name: 'Acme Corp', billingState: 'PAST_DUE', seats: 20 });

    await sut.postWebhook({ provider: 'billing', workspaceId, secret, body: subscriptionEvent({ type: 'customer.subscription.deleted', status: 'canceled', quantity: 20, accountExternalId: 'acme' }) });
    expect(await accountByExternalId(workspaceId, 'acme')).toMatchObject({ billingState: 'CANCELED' });

    const events = await outboxEvents(sut.db, workspaceId);
    expect(events.map((e) => e.type)).toEqual([
      'webhook_secret_created',
      'account_created',
      'webhook_received',
      'account_updated',
      'webhook_received',
      'account_updated',
      'webhook_received',
    ]);
    expect(events[1]!.payload).toMatchObject({ externalId: 'acme', source: 'billing', plan: 'pro', billingState: 'trialing', seats: 3 });
    expect(events[3]!.payload.changed.sort()).toEqual(['billingState', 'seats']);
    expect(events[2]!.payload).toMatchObject({ provider: 'billing', deliveryId: 'evt_created', outcome: 'applied' });
    expect((await deliveries(workspaceId)).map((d) => d.outcome)).toEqual(['applied', 'applied', 'applied']);
  });

  it('skip a subscription event older than the last one applied', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'BILLING');
    const now = Math.floor(Date.now() / 1000);
    await sut.postWebhook({ provider: 'billing', workspaceId, secret, body: subscriptionEvent({ status: 'active', created: now, accountExternalId: 'acme' }) });
    const late = await sut.postWebhook({ provider: 'billing', workspaceId, secret, body: subscriptionEvent({ status: 'trialing', created: now - 60, accountExternalId: 'acme' }) });
    expect(late.body).toMatchObject({ outcome: 'applied', detail: 'stale' });
    expect(await accountByExternalId(workspaceId, 'acme')).toMatchObject({ billingState: 'ACTIVE' });
  });
});

describe('CRM webhooks', () => {
  it('name the account and set its dates, segments and custom attributes; a null attribute is removed', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'CRM');
    const first = await sut.postWebhook({
      provider: 'crm',
      workspaceId,
      secret,
      body: companyEvent({
        subscriptionType: 'company.creation',
        properties: {
          name: 'Globex',
          account_external_id: 'globex',
          segments: 'enterprise;eu',
          signed_up_at: '2025-06-01T00:00:00Z',
          industry: 'energy',
          csm: 'dana',
          hs_lastmodifieddate: '1740000000000',
        },
      }),
    });
    expect(first.status).toBe(200);
    await sut.postWebhook({ provider: 'crm', workspaceId, secret, body: companyEvent({ properties: { account_external_id: 'globex', csm: null, onboarded_at: 1_750_000_000_000 } }) });
    expect(await accountByExternalId(workspaceId, 'globex')).toEqual({
      externalId: 'globex',
      name: 'Globex',
      plan: 'free',
      billingState: 'ACTIVE',
      seats: 1,
      signedUpAt: '2025-06-01T00:00:00.000Z',
      onboardedAt: new Date(1_750_000_000_000).toISOString(),
      segments: ['enterprise', 'eu'],
      attributes: { industry: 'energy' },
    });
    const types = (await outboxEvents(sut.db, workspaceId)).map((e) => e.type);
    expect(types).toEqual(['webhook_secret_created', 'account_created', 'webhook_received', 'account_updated', 'webhook_received']);
  });
});

describe('bug tracker webhooks', () => {
  it('open a bug from a new issue and close it when the issue is completed', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'BUG_TRACKER');
    const opened = await sut.postWebhook({ provider: 'bug-tracker', workspaceId, secret, body: issueEvent({ id: 'LIN-1', labels: ['area:billing'], accountExternalIds: ['acme'] }) });
    expect(opened.body).toMatchObject({ eventType: 'Issue.create', outcome: 'applied', detail: 'opened' });
    const open = await sut.graphql(workspaceId, 'agent', '{ openBugs { edges { node { externalId title status productAreas accountExternalIds } } } }');
    expect(open.data!.openBugs.edges).toEqual([
      { node: { externalId: 'LIN-1', title: 'Invoices page shows the wrong currency', status: 'OPEN', productAreas: ['billing'], accountExternalIds: ['acme'] } },
    ]);

    const closed = await sut.postWebhook({
      provider: 'bug-tracker',
      workspaceId,
      secret,
      body: issueEvent({ id: 'LIN-1', action: 'update', stateType: 'completed', completedAt: '2026-03-05T08:00:00.000Z', labels: ['area:billing'] }),
    });
    expect(closed.body.detail).toBe('closed');
    expect((await sut.graphql(workspaceId, 'agent', '{ openBugs { edges { node { id } } } }')).data!.openBugs.edges).toEqual([]);
    const { rows } = await sut.db.query(`SELECT status, closed_at FROM account_context.bugs WHERE workspace_id = $1`, [workspaceId]);
    expect(rows).toEqual([{ status: 'closed', closed_at: new Date('2026-03-05T08:00:00.000Z') }]);
    const bugEvents = (await outboxEvents(sut.db, workspaceId)).filter((e) => e.type.startsWith('bug_'));
    expect(bugEvents.map((e) => [e.type, e.payload.externalId])).toEqual([
      ['bug_opened', 'LIN-1'],
      ['bug_closed', 'LIN-1'],
    ]);
  });

  it('skip an event older than the one the bug was last written from (a retried delivery), so a closed bug stays closed', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'BUG_TRACKER');
    const post = (body: object) => sut.postWebhook({ provider: 'bug-tracker', workspaceId, secret, body });
    expect((await post(issueEvent({ id: 'LIN-2', eventAt: '2026-03-02T10:00:00.000Z' }))).body.detail).toBe('opened');
    const close = issueEvent({ id: 'LIN-2', action: 'update', stateType: 'completed', completedAt: '2026-03-02T12:00:00.000Z', eventAt: '2026-03-02T12:00:00.000Z' });
    expect((await post(close)).body.detail).toBe('closed');
    // An update made at 11:00 whose first delivery failed arrives now, after the close.
    const late = await post(issueEvent({ id: 'LIN-2', action: 'update', title: 'Invoices page shows USD', eventAt: '2026-03-02T11:00:00.000Z' }));
    expect(late.body).toMatchObject({ outcome: 'applied', detail: 'stale' });
    const { rows } = await sut.db.query(`SELECT status, title FROM account_context.bugs WHERE workspace_id = $1`, [workspaceId]);
    expect(rows).toEqual([{ status: 'closed', title: 'Invoices page shows the wrong currency' }]);
    expect((await outboxEvents(sut.db, workspaceId)).filter((e) => e.type.startsWith('bug_')).map((e) => e.type)).toEqual(['bug_opened', 'bug_closed']);
    // A newer event still applies.
    expect((await post(issueEvent({ id: 'LIN-2', action: 'update', eventAt: '2026-03-03T09:00:00.000Z' }))).body.detail).toBe('reopened');
  });

  it('acknowledge an event type they do not handle and record it as ignored, changing nothing else', async () => {
    const workspaceId = await sut.createWorkspace();
    const secret = await sut.createWebhookSecret(workspaceId, 'BUG_TRACKER');
    const response = await sut.postWebhook({ provider: 'bug-tracker', workspaceId, secret, deliveryId: 'comment-1', body: { type: 'Comment', action: 'create', data: {} } });
    expect(response).toMatchObject({ status: 200, body: { outcome: 'ignored', eventType: 'Comment.create' } });
    expect(await deliveries(workspaceId)).toEqual([{ provider: 'bug_tracker', delivery_id: 'comment-1', event_type: 'Comment.create', outcome: 'ignored' }]);
    expect(await sut.writeCounts(workspaceId)).toEqual({ accounts: 0, customers: 0, bugs: 0, webhook_deliveries: 1, outbox_events: 2 });
    expect((await outboxEvents(sut.db, workspaceId))[1]).toMatchObject({ type: 'webhook_received', payload: { outcome: 'ignored' } });
  });
});

describe('a refused delivery', () => {
  let workspaceId: string;
  let secret: string;

  beforeEach(async () => {
    workspaceId = await sut.createWorkspace();
    secret = await sut.createWebhookSecret(workspaceId, 'BILLING');
  });

  async function expectRefusedWithoutChange(request: Parameters<AccountContextHarness['postWebhook']>[0], status: number, code: string) {
    const before = await sut.writeCounts(workspaceId);
    const response = await sut.postWebhook(request);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(await sut.writeCounts(workspaceId)).toEqual(before);
    return response;
  }

  it('is UNAUTHENTICATED (401) when the signature is wrong', async () => {
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret: 'whsec_not-the-secret', body: subscriptionEvent({ accountExternalId: 'acme' }) }, 401, 'UNAUTHENTICATED');
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, signature: 'nonsense', body: subscriptionEvent() }, 401, 'UNAUTHENTICATED');
  });

  it('is UNAUTHENTICATED (401) when the body was changed after signing', async () => {
    const body = JSON.stringify(subscriptionEvent({ accountExternalId: 'acme', quantity: 5 }));
    const signature = signWebhook(secret, body);
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, signature, body: body.replace('"quantity":5', '"quantity":500') }, 401, 'UNAUTHENTICATED');
  });

  it('is UNAUTHENTICATED (401) when the timestamp is more than five minutes old', async () => {
    const response = await expectRefusedWithoutChange(
      { provider: 'billing', workspaceId, secret, timestamp: Math.floor(Date.now() / 1000) - 6 * 60, body: subscriptionEvent({ accountExternalId: 'acme' }) },
      401,
      'UNAUTHENTICATED',
    );
    expect(response.body.error.message).toMatch(/5 minutes/);
  });

  it("is UNAUTHENTICATED (401) when signed with another workspace's secret, or for a provider without a secret", async () => {
    const otherWorkspace = await sut.createWorkspace();
    const otherSecret = await sut.createWebhookSecret(otherWorkspace, 'BILLING');
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret: otherSecret, body: subscriptionEvent() }, 401, 'UNAUTHENTICATED');
    await expectRefusedWithoutChange({ provider: 'crm', workspaceId, secret, body: companyEvent() }, 401, 'UNAUTHENTICATED');
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId: 'not-a-workspace', secret, body: subscriptionEvent() }, 401, 'UNAUTHENTICATED');
  });

  it('is CONFLICT (409) when the delivery id was already received, and the replay changes nothing', async () => {
    const first = await sut.postWebhook({ provider: 'billing', workspaceId, secret, deliveryId: 'evt_once', body: subscriptionEvent({ accountExternalId: 'acme', quantity: 5 }) });
    expect(first.status).toBe(200);
    await expectRefusedWithoutChange(
      { provider: 'billing', workspaceId, secret, deliveryId: 'evt_once', body: subscriptionEvent({ accountExternalId: 'acme', quantity: 99 }) },
      409,
      'CONFLICT',
    );
    expect(await accountByExternalId(workspaceId, 'acme')).toMatchObject({ seats: 5 });
  });

  it('is CONFLICT (409) when a captured request is re-sent under a new delivery id', async () => {
    const body = JSON.stringify(subscriptionEvent({ accountExternalId: 'acme' }));
    const signature = signWebhook(secret, body);
    expect((await sut.postWebhook({ provider: 'billing', workspaceId, secret, signature, deliveryId: 'evt_a', body })).status).toBe(200);
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, signature, deliveryId: 'evt_b', body }, 409, 'CONFLICT');
  });

  it('applies one of two copies of a delivery sent at the same time', async () => {
    const body = subscriptionEvent({ accountExternalId: 'acme' });
    const responses = await Promise.all([1, 2, 3].map(() => sut.postWebhook({ provider: 'billing', workspaceId, secret, deliveryId: 'evt_race', body })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await sut.writeCounts(workspaceId)).webhook_deliveries).toBe(1);
  });

  it('is BAD_USER_INPUT (400) for a malformed payload, naming what is wrong, with nothing written', async () => {
    const withoutItems = subscriptionEvent({ accountExternalId: 'acme' }) as any;
    delete withoutItems.data.object.items;
    const response = await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, body: withoutItems }, 400, 'BAD_USER_INPUT');
    expect(response.body.error.message).toContain('data.object.items');
    expect(response.body.error.details.issues[0].path).toBe('data.object.items');
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, body: '{"type": ' }, 400, 'BAD_USER_INPUT');
    await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, deliveryId: 'bad id with spaces', body: subscriptionEvent() }, 400, 'BAD_USER_INPUT');
  });

  it('rolls back everything when the change itself is refused', async () => {
    const crmSecret = await sut.createWebhookSecret(workspaceId, 'CRM');
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, i]));
    const more = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`b${i}`, i]));
    expect((await sut.postWebhook({ provider: 'crm', workspaceId, secret: crmSecret, body: companyEvent({ objectId: 1, properties: { name: 'Full', ...many } }) })).status).toBe(200);
    expect((await sut.postWebhook({ provider: 'crm', workspaceId, secret: crmSecret, body: companyEvent({ objectId: 1, properties: more }) })).status).toBe(200);
    const before = await sut.writeCounts(workspaceId);
    const refused = await sut.postWebhook({ provider: 'crm', workspaceId, secret: crmSecret, body: companyEvent({ objectId: 1, properties: { one_too_many: true } }) });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect(await sut.writeCounts(workspaceId)).toEqual(before);
  });

  it.each([
    ['an account id', 'billing', 'BILLING', () => subscriptionEvent({ accountExternalId: 'acme\u0000' }), 'data.object.metadata.account_external_id'],
    ['a bug id', 'bug-tracker', 'BUG_TRACKER', () => issueEvent({ id: 'issue-\u00001' }), 'data.id'],
    ['a property name', 'crm', 'CRM', () => companyEvent({ properties: { name: 'Acme', ['plan\u0000']: 'pro' } }), 'properties.plan\\u0000'],
  ] as const)('is BAD_USER_INPUT (400) naming the field when %s carries a NUL character, with nothing written', async (_case, provider, secretProvider, body, field) => {
    const providerSecret = secretProvider === 'BILLING' ? secret : await sut.createWebhookSecret(workspaceId, secretProvider);
    const response = await expectRefusedWithoutChange({ provider, workspaceId, secret: providerSecret, body: body() }, 400, 'BAD_USER_INPUT');
    expect(response.body.error.message).toContain(`"${field}"`);
    expect(response.body.error.message).toMatch(/NUL character/);
  });

  it('is PAYLOAD_TOO_LARGE (413) for a body over the limit, with nothing written', async () => {
    const huge = subscriptionEvent({ accountExternalId: 'acme', accountName: 'x'.repeat(600 * 1024) });
    const response = await expectRefusedWithoutChange({ provider: 'billing', workspaceId, secret, body: huge }, 413, 'PAYLOAD_TOO_LARGE');
    expect(response.body.error.message).toMatch(/512kb/);
  });

  it('is NOT_FOUND (404) for a provider that does not exist', async () => {
    await expectRefusedWithoutChange({ provider: 'payroll', workspaceId, secret, body: subscriptionEvent() }, 404, 'NOT_FOUND');
  });
});
