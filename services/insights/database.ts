/** Insights' own tables (reports and where they go) live in the Postgres schema "insights"; its events live in ClickHouse. */
import { openServiceDatabase } from '../shared/database';
import { WeeklyReports1764400000000 } from './migrations/1764400000000-weekly-reports';
import { RelayBatches1764761200000 } from './migrations/1764761200000-relay-batches';
import { ReportDeliveryEntity } from './report/report-delivery.entity';
import { ReportWebhookEntity } from './report/report-webhook.entity';
import { WeeklyReportEntity } from './report/weekly-report.entity';

const INSIGHTS_SCHEMA = 'insights';

export function openInsightsDatabase(url: string) {
  return openServiceDatabase({
    url,
    schema: INSIGHTS_SCHEMA,
    entities: [WeeklyReportEntity, ReportWebhookEntity, ReportDeliveryEntity],
    migrations: [WeeklyReports1764400000000, RelayBatches1764761200000],
    poolSize: 4,
  });
}
