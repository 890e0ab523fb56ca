import { mapBillingEvent } from '../../services/account-context/integrations/billing';
import { mapBugTrackerEvent } from '../../services/account-context/integrations/bug-tracker';
import { mapCrmEvent } from '../../services/account-context/integrations/crm';
import type { IntegrationCommand } from '../../services/account-context/integrations/integration-command';
import { parseJsonBody } from '../../services/account-context/integrations/payload';
import { ErrorCode } from '../../services/shared/errors';
import { rejection } from '../helpers/rejection';
import { companyEvent, issueEvent, subscriptionEvent } from './account-context-payloads';

function accountCommand(command: IntegrationCommand) {
  if (command.kind !== 'account') throw new Error(`expected an account command, got ${command.kind}`);
  return command;
}

function bugCommand(command: IntegrationCommand) {
  if (command.kind !== 'bug') throw new Error(`expected a bug command, got ${command.kind}`);
  return command;
}

describe('the billing mapper', () => {
  it('turns a subscription update into the account plan, billing state and seats', () => {
    const sut = accountCommand(mapBillingEvent(subscriptionEvent({ status: 'past_due', quantity: 12, accountExternalId: 'acme', created: 1_772_000_000 })));
    expect(sut).toMatchObject({ eventType: 'customer.subscription.updated', source: 'billing' });
    expect(sut.change).toEqual({
      externalId: 'acme',
      nameForNewAccount: 'acme',
      billingEventAt: new Date(1_772_000_000_000),
      patch: { plan: 'pro', billingState: 'past_due', seats: 12 },
    });
  });

  it("falls back to the provider's customer id and names a new account from metadata", () => {
    const sut = accountCommand(mapBillingEvent(subscriptionEvent({ type: 'customer.subscription.created', customer: 'cus_9', accountName: 'Nine Ltd' })));
    expect(sut.change.externalId).toBe('cus_9');
    expect(sut.change.nameForNewAccount).toBe('Nine Ltd');
  });

  it("takes the product's name when the price has no nickname", () => {
    const sut = accountCommand(mapBillingEvent(subscriptionEvent({ nickname: null, productName: 'Enterprise' })));
    expect(sut.change.patch.plan).toBe('enterprise');
  });

  it.each([
    ['trialing', 'trialing'],
    ['active', 'active'],
    ['unpaid', 'past_due'],
    ['incomplete', 'past_due'],
    ['incomplete_expired', 'canceled'],
    ['paused', 'canceled'],
  ])('reads the provider status %s as the billing state %s', (status, billingState) => {
    expect(accountCommand(mapBillingEvent(subscriptionEvent({ status }))).change.patch.billingState).toBe(billingState);
  });

  it('cancels the account when its subscription is deleted', () => {
    const sut = accountCommand(mapBillingEvent(subscriptionEvent({ type: 'customer.subscription.deleted', status: 'active' })));
    expect(sut.change.patch.billingState).toBe('canceled');
  });

  it('ignores event types it does not handle, without holding them to the subscription schema', () => {
    expect(mapBillingEvent({ id: 'evt_1', type: 'invoice.paid', data: { object: { anything: true } } })).toEqual({
      kind: 'ignore',
      eventType: 'invoice.paid',
      reason: 'not a subscription event',
    });
  });

  it('refuses a subscription event without items or with an unknown status as BAD_USER_INPUT, naming the paths', () => {
    const withoutItems = subscriptionEvent() as any;
    delete withoutItems.data.object.items;
    const error = rejection(() => mapBillingEvent(withoutItems));
    expect(error.code).toBe(ErrorCode.BadUserInput);
    expect(error.message).toContain('data.object.items');
    expect(rejection(() => mapBillingEvent(subscriptionEvent({ status: 'exploded' }))).code).toBe(ErrorCode.BadUserInput);
    expect(rejection(() => mapBillingEvent(subscriptionEvent({ quantity: -1 }))).code).toBe(ErrorCode.BadUserInput);
  });

  it('refuses a body without an event type', () => {
    expect(rejection(() => mapBillingEvent({ hello: 'world' })).code).toBe(ErrorCode.BadUserInput);
    expect(rejection(() => mapBillingEvent(null)).code).toBe(ErrorCode.BadUserInput);
  });
});

describe('the CRM mapper', () => {
  it('maps name, segments, dates and the remaining properties as custom attributes', () => {
    const sut = accountCommand(
      mapCrmEvent(
        companyEvent({
          objectId: 9001,
          properties: {
            name: 'Acme Corp',
            account_external_id: 'acme',
            segments: 'enterprise; eu ;',
            signed_up_at: '2025-01-15T00:00:00Z',
            onboarded_at: 1_740_000_000_000,
            industry: 'Manufacturing',
            employees: 420,
            churn_risk: null,
            hs_object_id: '9001',
          },
        }),
      ),
    );
    expect(sut).toMatchObject({ eventType: 'company.propertyChange', source: 'crm' });
    expect(sut.change).toEqual({
      externalId: 'acme',
      nameForNewAccount: 'Acme Corp',
      patch: {
        name: 'Acme Corp',
        segments: ['enterprise', 'eu'],
        signedUpAt: new Date('2025-01-15T00:00:00Z'),
        onboardedAt: new Date(1_740_000_000_000),
        attributes: { industry: 'Manufacturing', employees: 420, churn_risk: null },
      },
    });
  });

  it("uses the CRM's object id when no account external id is given, and clears a date sent empty", () => {
    const sut = accountCommand(mapCrmEvent(companyEvent({ objectId: 77, properties: { onboarded_at: '' } })));
    expect(sut.change.externalId).toBe('77');
    expect(sut.change.nameForNewAccount).toBe('77');
    expect(sut.change.patch.onboardedAt).toBeNull();
    expect(sut.change.patch.attributes).toBeUndefined();
  });

  it('ignores other subscription types', () => {
    expect(mapCrmEvent(companyEvent({ subscriptionType: 'contact.creation' }))).toMatchObject({ kind: 'ignore', eventType: 'contact.creation' });
  });

  it('refuses nested attribute values and unreadable dates as BAD_USER_INPUT', () => {
    expect(rejection(() => mapCrmEvent(companyEvent({ properties: { address: { city: 'Paris' } } }))).code).toBe(ErrorCode.BadUserInput);
    expect(rejection(() => mapCrmEvent(companyEvent({ properties: { signed_up_at: 'last tuesday' } }))).code).toBe(ErrorCode.BadUserInput);
    expect(rejection(() => mapCrmEvent(companyEvent({ properties: { 'bad key!': 'x' } }))).code).toBe(ErrorCode.BadUserInput);
  });
});

describe('the bug tracker mapper', () => {
  it('turns a created issue into an open bug with product areas from area: labels and linked accounts', () => {
    const sut = bugCommand(mapBugTrackerEvent(issueEvent({ labels: ['bug', 'area:Billing', 'Area/Invoices Export'], accountExternalIds: ['acme', 'acme', 'globex'] })));
    expect(sut.eventType).toBe('Issue.create');
    expect(sut.change).toEqual({
      source: 'bug_tracker',
      externalId: 'issue-1',
      title: 'Invoices page shows the wrong currency',
      status: 'open',
      productAreas: ['billing', 'invoices-export'],
      accountExternalIds: ['acme', 'globex'],
      url: 'https://tracker.example/issue/ENG-1',
      openedAt: new Date('2026-03-01T09:00:00.000Z'),
      closedAt: null,
      eventAt: new Date('2026-03-02T10:00:00.000Z'),
    });
  });

  it('closes the bug when the issue reaches a completed state', () => {
    const sut = bugCommand(mapBugTrackerEvent(issueEvent({ action: 'update', stateType: 'completed', completedAt: '2026-03-03T12:00:00.000Z' })));
    expect(sut.change.status).toBe('closed');
    expect(sut.change.closedAt).toEqual(new Date('2026-03-03T12:00:00.000Z'));
  });

  it.each(['close', 'remove'])('closes the bug on the %s action, at the time of the event', (action) => {
    const sut = bugCommand(mapBugTrackerEvent(issueEvent({ action })));
    expect(sut.change.status).toBe('closed');
    expect(sut.change.closedAt).toEqual(new Date('2026-03-02T10:00:00.000Z'));
  });

  it('ignores events about anything but issues, and unknown actions', () => {
    expect(mapBugTrackerEvent(issueEvent({ type: 'Comment' }))).toMatchObject({ kind: 'ignore', eventType: 'Comment.create' });
    expect(mapBugTrackerEvent(issueEvent({ action: 'archive' }))).toMatchObject({ kind: 'ignore', eventType: 'Issue.archive' });
  });

  it('refuses an issue without a title or with a malformed date as BAD_USER_INPUT', () => {
    expect(rejection(() => mapBugTrackerEvent(issueEvent({ title: '  ' }))).code).toBe(ErrorCode.BadUserInput);
    expect(rejection(() => mapBugTrackerEvent(issueEvent({ createdAt: 'yesterday' }))).code).toBe(ErrorCode.BadUserInput);
  });
});

describe('what the mappers read as dates and links', () => {
  it.each(['2025-01-15', '2025-01-15T10:00:00Z', '2025-01-15T10:00:00.123+02:00', '1740000000000', 1740000000000])('read %s as a date', (value) => {
    const sut = accountCommand(mapCrmEvent(companyEvent({ properties: { signed_up_at: value } })));
    expect(sut.change.patch.signedUpAt).toBeInstanceOf(Date);
  });

  it.each(['March 5', '5/3/2025', '2025-13-45', 'yesterday'])('refuse %s as a date', (value) => {
    expect(rejection(() => mapCrmEvent(companyEvent({ properties: { signed_up_at: value } }))).code).toBe(ErrorCode.BadUserInput);
  });

  it('refuse a bug link that is not http(s)', () => {
    const event = issueEvent() as any;
    event.data.url = 'javascript:alert(1)';
    expect(rejection(() => mapBugTrackerEvent(event)).code).toBe(ErrorCode.BadUserInput);
  });
});

describe('reading a webhook body', () => {
  it('parses JSON and refuses anything else as BAD_USER_INPUT', () => {
    expect(parseJsonBody(Buffer.from('{"type":"x","n":[1,2]}'))).toEqual({ type: 'x', n: [1, 2] });
    expect(rejection(() => parseJsonBody(Buffer.from('{"type": '))).code).toBe(ErrorCode.BadUserInput);
  });

  it('refuses a "__proto__" key at any depth, which copying would turn into a prototype', () => {
    const body = Buffer.from('{"subscriptionType":"company.creation","objectId":1,"properties":{"__proto__":{"name":"Injected"}}}');
    expect(rejection(() => parseJsonBody(body)).code).toBe(ErrorCode.BadUserInput);
  });
});
