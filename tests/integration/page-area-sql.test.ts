/**
 * The page-area rule in the warehouse's SQL (services/insights/asker-context.ts) gives what the shared rule
 * (services/shared/product-areas.ts) gives, on real chDB: a context filter by page area, and the weekly report's
 * breakdown by it, bucket a page where learning and the agents' desk put it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { pageAreaSql } from '../../services/insights/asker-context';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { productAreasOfPage } from '../../services/shared/product-areas';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-page-area-'));
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

const PAGES = [
  '/settings/billing/invoices/42',
  '/billing',
  '/billing/',
  'billing',
  '/42/billing',
  '/v2/billing',
  '/Settings',
  '  /Team Settings/members  ',
  '\t/team_settings',
  '/team%20settings/',
  '/%E6%97%A5%E6%9C%AC/x',
  '/caf%C3%A9',
  '/Café',
  '/__billing__/x',
  '/-billing-',
  '/%zz/billing',
  '/billing?tab=cards',
  '/?tab=cards',
  '/app/#/integrations/slack',
  '/reports#top',
  '#/reports',
  '/#',
  'https://app.example.com/Billing/Payment_Methods?tab=cards#top',
  'https://app.example.com/#/reports/weekly',
  'https://app.example.com/#/reports/weekly?x=1',
  'https://app.example.com',
  'https://app.example.com/',
  'HTTPS://APP.EXAMPLE.COM/Invoices',
  'http://localhost:3000/onboarding/step-2',
  '/projects/3f2b9c1e-8d0a-4a44-9f55-0d6f0a1b2c3d/members',
  '/orders/ord_8f3k2j1/refund',
  '//',
  '/',
  ' ',
  '',
  '/\u00a0billing\u00a0',
];

describe('the page area in SQL', () => {
  it('is the first product area of the page, as services/shared/product-areas.ts has it', async () => {
    const result = await warehouse.client.query({
      query: `SELECT page, ${pageAreaSql('page')} AS area FROM (SELECT arrayJoin({pages:Array(String)}) AS page)`,
      query_params: { pages: PAGES },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ page: string; area: string }>();
    expect(rows.map((row) => [row.page, row.area])).toEqual(PAGES.map((page) => [page, productAreasOfPage(page)[0] ?? '']));
    // Not a comparison of empty answers.
    expect(rows.filter((row) => row.area !== '').length).toBeGreaterThan(20);
  });
});
