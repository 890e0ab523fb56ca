import { bucketsOf, contextKeys, tenureOf } from '../../services/shared/asker-buckets';

describe("the asker's context buckets", () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();

  it('read tenure from the sign-up date, and nothing from an unknown or unreadable one', () => {
    expect(tenureOf(daysAgo(2), now)).toBe('first_week');
    expect(tenureOf(daysAgo(8), now)).toBe('first_month');
    expect(tenureOf(daysAgo(400), now)).toBe('established');
    expect(tenureOf(null, now)).toBeNull();
    expect(tenureOf('not a date', now)).toBeNull();
  });

  it('give one key per known part, and the outermost page areas', () => {
    const buckets = bucketsOf({ plan: 'trial', billingState: 'past_due', signedUpAt: daysAgo(3) }, '/settings/billing/invoices/42/lines/more', now);
    expect(buckets).toEqual({ plan: 'trial', billingState: 'past_due', tenure: 'first_week', pageAreas: ['settings', 'billing', 'invoices', 'lines', 'more'] });
    expect(contextKeys(buckets)).toEqual(['plan:trial', 'billing:past_due', 'tenure:first_week', 'area:settings', 'area:billing', 'area:invoices']);
  });

  it('say nothing about an anonymous visitor but the page', () => {
    expect(contextKeys(bucketsOf(null, null, now))).toEqual([]);
    expect(contextKeys(bucketsOf(null, 'https://app.example.com/#/reports?x=1', now))).toEqual(['area:reports']);
    expect(contextKeys(bucketsOf({ plan: '', billingState: null }, '', now))).toEqual([]);
  });
});
