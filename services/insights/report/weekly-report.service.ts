/**
 * Weekly reports: generate (build, render, store), list and fetch, and post to the workspace's webhooks.
 * Generation is idempotent per run key, delivery per (report, webhook) generation, so the workflow's
 * activity retries never build twice or post twice.
 */
import { DataSource, IsNull } from 'typeorm';
import { badInput, notFound, unavailable } from '../../shared/errors';
import { pageOf } from '../../shared/keyset-cursor';
import { ReportDeliveryEntity } from './report-delivery.entity';
import { ReportWebhookEntity } from './report-webhook.entity';
import { slackMessage } from './slack-message';
import { ReportedWorkspace, WeeklyReportBuilder } from './weekly-report-builder';
import { WeeklyReportEntity } from './weekly-report.entity';
import { renderHtml, renderMarkdown } from './weekly-report-rendering';
import type { WebhookPoster } from './webhook-poster';

export interface GeneratedReport {
  report: WeeklyReportEntity;
  /** Webhooks the report should go to. */
  webhookIds: string[];
}

export type DeliveryOutcome = 'delivered' | 'already_delivered' | 'webhook_removed';

export interface ReportPage {
  reports: WeeklyReportEntity[];
  hasNextPage: boolean;
}

export class WeeklyReportService {
  constructor(
    private readonly db: DataSource,
    private readonly builder: WeeklyReportBuilder,
    private readonly poster: WebhookPoster,
  ) {}

  async generate(workspace: ReportedWorkspace, isoWeek: string, runKey: string): Promise<GeneratedReport> {
    const reports = this.db.getRepository(WeeklyReportEntity);
    let report = await reports.findOneBy({ workspaceId: workspace.id, isoWeek });
    if (report?.runKey !== runKey) {
      const content = await this.builder.build(workspace, isoWeek);
      const fields = {
        periodStart: new Date(content.periodStart),
        periodEnd: new Date(content.periodEnd),
        generatedAt: new Date(content.generatedAt),
        runKey,
        content,
        markdown: renderMarkdown(content),
        html: renderHtml(content),
      };
      report = await this.db.transaction(async (tx) => {
        await tx
          .createQueryBuilder()
          .insert()
          .into(WeeklyReportEntity)
          .values({ workspaceId: workspace.id, isoWeek, ...fields })
          .orUpdate(['period_start', 'period_end', 'generated_at', 'run_key', 'content', 'markdown', 'html'], ['workspace_id', 'iso_week'])
          .execute();
        const stored = await tx.getRepository(WeeklyReportEntity).findOneByOrFail({ workspaceId: workspace.id, isoWeek });
        // A new generation is news again: its deliveries start over.
        await tx.getRepository(ReportDeliveryEntity).delete({ reportId: stored.id });
        return stored;
      });
    }
    const webhooks = await this.activeWebhooks(workspace.id);
    return { report, webhookIds: webhooks.map((w) => w.id) };
  }

  async get(workspaceId: string, isoWeek: string): Promise<WeeklyReportEntity | null> {
    return this.db.getRepository(WeeklyReportEntity).findOneBy({ workspaceId, isoWeek });
  }

  /** Newest week first; `after` is the ISO week of the last report of the previous page. */
  async list(workspaceId: string, first: number, after?: string): Promise<ReportPage> {
    const query = this.db
      .getRepository(WeeklyReportEntity)
      .createQueryBuilder('r')
      .select(['r.id', 'r.workspaceId', 'r.isoWeek', 'r.periodStart', 'r.periodEnd', 'r.generatedAt', 'r.content'])
      .where('r.workspace_id = :workspaceId', { workspaceId })
      .orderBy('r.iso_week', 'DESC')
      .take(first + 1);
    if (after) query.andWhere('r.iso_week < :after', { after });
    const { rows, hasNextPage } = pageOf(await query.getMany(), first);
    return { reports: rows, hasNextPage };
  }

  async documents(reportId: string): Promise<{ markdown: string; html: string }> {
    const report = await this.db.getRepository(WeeklyReportEntity).findOne({ where: { id: reportId }, select: { id: true, markdown: true, html: true } });
    if (!report) throw notFound('Weekly report', reportId);
    return report;
  }

  async deliveries(reportId: string): Promise<ReportDeliveryEntity[]> {
    return this.db.getRepository(ReportDeliveryEntity).find({ where: { reportId }, order: { webhookId: 'ASC' } });
  }

  /**
   * One attempt to post a report to one webhook. Throws UNAVAILABLE when the webhook does not take it, so
   * the caller (the workflow's activity) retries with backoff; every attempt is recorded.
   */
  async deliver(workspaceId: string, reportId: string, webhookId: string): Promise<{ outcome: DeliveryOutcome; attempts: number }> {
    const report = await this.db.getRepository(WeeklyReportEntity).findOneBy({ id: reportId, workspaceId });
    if (!report) throw notFound('Weekly report', reportId);
    const webhook = await this.db.getRepository(ReportWebhookEntity).findOneBy({ id: webhookId, workspaceId });
    if (!webhook) throw notFound('Report webhook', webhookId);
    const deliveries = this.db.getRepository(ReportDeliveryEntity);
    await deliveries.createQueryBuilder().insert().values({ reportId, webhookId, attempts: 0 }).orIgnore().execute();
    const delivery = await deliveries.findOneByOrFail({ reportId, webhookId });
    if (delivery.deliveredAt) return { outcome: 'already_delivered', attempts: delivery.attempts };
    if (webhook.removedAt) return { outcome: 'webhook_removed', attempts: delivery.attempts };

    const { status, error, refused } = await this.poster.post(webhook.url, slackMessage(report.content), {
      // Receivers that see a retry of a post they did take can drop it by this id.
      'x-loopdesk-delivery': `${report.id}:${webhookId}:${report.runKey}`,
    });
    const ok = error === null;
    await deliveries
      .createQueryBuilder()
      .update()
      .set({ attempts: () => 'attempts + 1', lastAttemptAt: new Date(), lastStatus: status, lastError: error, deliveredAt: ok ? new Date() : null })
      .where('report_id = :reportId AND webhook_id = :webhookId', { reportId, webhookId })
      .execute();
    // A target the policy refuses stays refused: BAD_USER_INPUT ends the activity's retries.
    if (refused) throw badInput(`Webhook "${webhook.label}" was not posted to: ${error}`);
    if (!ok) throw unavailable(`Webhook "${webhook.label}" did not take the report: ${error}`);
    return { outcome: 'delivered', attempts: delivery.attempts + 1 };
  }

  private activeWebhooks(workspaceId: string): Promise<ReportWebhookEntity[]> {
    return this.db.getRepository(ReportWebhookEntity).find({ where: { workspaceId, removedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }
}
