import { BillingState } from '../../services/account-context/customer/customer.types';
import { attributesPatchProblem, labelsProblem, usageProblem } from '../../services/account-context/customer/profile-fields';
import { AccountProfile, patchAccount, patchCustomer } from '../../services/account-context/customer/profile-patch';
import { ErrorCode } from '../../services/shared/errors';
import { rejection } from '../helpers/rejection';

const current: AccountProfile = {
  name: 'Acme',
  plan: 'pro',
  billingState: BillingState.ACTIVE,
  seats: 10,
  signedUpAt: new Date('2025-01-01T00:00:00Z'),
  onboardedAt: null,
  usage: { api_calls: 100, exports: 3 },
  featureFlags: ['beta-reports'],
  segments: ['enterprise'],
  attributes: { industry: 'retail', tier: 2 },
};

describe('patching an account', () => {
  it('keeps what the patch leaves out and reports no change for an empty patch', () => {
    expect(patchAccount(current, {})).toEqual({ next: current, changed: [] });
  });

  it('merges usage counters and attributes, replaces lists, and names the changed fields', () => {
    const sut = patchAccount(current, {
      usage: { api_calls: 250 },
      attributes: { tier: 3, industry: null, region: 'eu' },
      featureFlags: [' new-editor ', 'new-editor'],
      signedUpAt: new Date('2025-01-01T00:00:00Z'),
    });
    expect(sut.next.usage).toEqual({ api_calls: 250, exports: 3 });
    expect(sut.next.attributes).toEqual({ tier: 3, region: 'eu' });
    expect(sut.next.featureFlags).toEqual(['new-editor']);
    expect(sut.changed.sort()).toEqual(['attributes', 'featureFlags', 'usage']);
  });

  it('treats a map with the same entries in another order as unchanged (jsonb does not keep key order)', () => {
    expect(patchAccount(current, { usage: { exports: 3, api_calls: 100 }, attributes: { tier: 2 } }).changed).toEqual([]);
  });

  it('clears a date set to null', () => {
    expect(patchAccount(current, { signedUpAt: null })).toMatchObject({ next: { signedUpAt: null }, changed: ['signedUpAt'] });
  });

  it('refuses a patch that would leave more attributes than a record may hold', () => {
    const full: AccountProfile = { ...current, attributes: Object.fromEntries(Array.from({ length: 199 }, (_, i) => [`k${i}`, i])) };
    expect(Object.keys(patchAccount(full, { attributes: { one: 1 } }).next.attributes)).toHaveLength(200);
    expect(rejection(() => patchAccount(full, { attributes: { one: 1, more: 2 } })).code).toBe(ErrorCode.BadUserInput);
  });
});

describe('patching a customer', () => {
  it('changes nothing when only the external id is ensured', () => {
    expect(patchCustomer({ email: 'a@b.test', name: null, accountId: null, attributes: {} }, {}).changed).toEqual([]);
  });
});

describe('profile field limits', () => {
  it('accept flat attributes and refuse nested ones, bad keys and long strings', () => {
    expect(attributesPatchProblem({ plan_tier: 'gold', seats_used: 3, sso: true, legacy: null })).toBeNull();
    expect(attributesPatchProblem({ address: { city: 'Paris' } })).toMatch(/nested/);
    expect(attributesPatchProblem({ 'has space': 1 })).toMatch(/may only contain/);
    expect(attributesPatchProblem(JSON.parse('{"__proto__": "x"}'))).toMatch(/must not start with "__"/);
    expect(attributesPatchProblem({ note: 'x'.repeat(1001) })).toMatch(/at most 1000/);
    expect(attributesPatchProblem(['a'])).toMatch(/JSON object/);
  });

  it('accept non-negative finite usage counters only', () => {
    expect(usageProblem({ api_calls: 0, storage_gb: 1.5 })).toBeNull();
    expect(usageProblem({ api_calls: -1 })).toMatch(/≥ 0/);
    expect(usageProblem({ api_calls: '12' })).toMatch(/finite number/);
  });

  it('accept short non-empty labels only', () => {
    expect(labelsProblem(['a', 'b'])).toBeNull();
    expect(labelsProblem(['  '])).toMatch(/non-empty/);
    expect(labelsProblem('a')).toMatch(/list/);
  });
});
