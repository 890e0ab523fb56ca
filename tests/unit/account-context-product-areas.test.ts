import { normalizeProductArea, productAreasOfLabels, productAreasOfPage } from '../../services/shared/product-areas';

describe('product areas of a page', () => {
  it.each([
    ['/settings/billing/invoices/42', ['settings', 'billing', 'invoices']],
    ['https://app.example.com/Billing/Payment_Methods?tab=cards#top', ['billing', 'payment-methods']],
    ['https://app.example.com/#/reports/weekly', ['reports', 'weekly']],
    ['/app/#/integrations/slack', ['integrations', 'slack']],
    ['/projects/3f2b9c1e-8d0a-4a44-9f55-0d6f0a1b2c3d/members', ['projects', 'members']],
    ['/orders/ord_8f3k2j1/refund', ['orders', 'refund']],
    ['/team%20settings/', ['team-settings']],
    ['', []],
    [null, []],
  ])('reads %s as %j', (page, areas) => {
    expect(productAreasOfPage(page)).toEqual(areas);
  });
});

describe('product areas of a bug', () => {
  it('come from labels written area:<name> or area/<name>, normalised like page segments', () => {
    expect(productAreasOfLabels(['bug', 'area:Billing', 'AREA/ Payment Methods', 'area:', 'priority:high', 'area:billing'])).toEqual(['billing', 'payment-methods']);
  });

  it('normalise the same way on both sides', () => {
    expect(normalizeProductArea(' Payment_Methods ')).toBe(productAreasOfPage('/payment-methods')[0]);
  });
});
