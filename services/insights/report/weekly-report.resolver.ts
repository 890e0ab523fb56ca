/** Weekly reports over GraphQL: read by analysts, generated and routed by admins, compiled and delivered by the worker. */
import { canonicalTimeZone } from '../../shared/time-zone';
import { Arg, Authorized, Ctx, Directive, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { Workspace } from '../workspace/workspace.types';
import { mondayOfIsoWeek } from './report-period';
import { ReportWebhookEntity } from './report-webhook.entity';
import { ReportWebhookService, maskWebhookUrl } from './report-webhook.service';
import { WeeklyReportEntity } from './weekly-report.entity';
import { WeeklyReportRunner } from './weekly-report-runner';
import { WeeklyReportService } from './weekly-report.service';
import {
  AddReportWebhookInput,
  CompileWeeklyReportInput,
  CompiledWeeklyReport,
  DeliverWeeklyReportInput,
  GenerateWeeklyReportInput,
  RemoveReportWebhookInput,
  ReportDelivery,
  ReportWebhook,
  WeeklyReport,
  WeeklyReportConnection,
  WeeklyReportDeliveryResult,
  WeeklyReportsArgs,
} from './weekly-report.types';

@Resolver(() => Workspace)
export class WeeklyReportResolver {
  constructor(
    private readonly reports: WeeklyReportService,
    private readonly webhooks: ReportWebhookService,
    private readonly runner: WeeklyReportRunner,
  ) {}

  @Authorized('analyst')
  @FieldResolver(() => WeeklyReportConnection, { description: 'Weekly intelligence reports, newest week first' })
  async weeklyReports(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('page', () => WeeklyReportsArgs, { nullable: true }) page?: WeeklyReportsArgs): Promise<WeeklyReportConnection> {
    ownWorkspace(workspace, ctx);
    if (page?.after !== undefined) mondayOfIsoWeek(page.after);
    const { reports, hasNextPage } = await this.reports.list(workspace.id, page?.first ?? 10, page?.after);
    const edges = reports.map((report) => ({ cursor: report.isoWeek, node: toReport(report) }));
    return connectionOf(edges, hasNextPage);
  }

  @Authorized('analyst')
  @FieldResolver(() => WeeklyReport, { nullable: true, description: 'The report for one ISO week, if it was generated' })
  async weeklyReport(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('isoWeek') isoWeek: string): Promise<WeeklyReport | null> {
    ownWorkspace(workspace, ctx);
    mondayOfIsoWeek(isoWeek);
    const report = await this.reports.get(workspace.id, isoWeek);
    return report && toReport(report);
  }

  @Authorized('admin')
  @FieldResolver(() => [ReportWebhook], { description: 'Where weekly reports are posted' })
  async reportWebhooks(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext): Promise<ReportWebhook[]> {
    ownWorkspace(workspace, ctx);
    return (await this.webhooks.list(workspace.id)).map(toWebhook);
  }

  @Authorized('admin')
  @Mutation(() => WeeklyReport, { description: 'Build (or rebuild) the report for an ISO week now and store it; posting it to the webhooks follows in the background (see deliveries)' })
  async generateWeeklyReport(@Arg('input') input: GenerateWeeklyReportInput, @Ctx() ctx: SubgraphContext): Promise<WeeklyReport> {
    const monday = mondayOfIsoWeek(input.isoWeek);
    if (monday.getTime() > Date.now()) throw badInput(`${input.isoWeek} has not started yet`);
    await this.runner.run(ctx.auth.workspaceId, input.isoWeek);
    const report = await this.reports.get(ctx.auth.workspaceId, input.isoWeek);
    if (!report) throw notFound('Weekly report', input.isoWeek);
    return toReport(report);
  }

  @Authorized('admin')
  @Mutation(() => ReportWebhook, { description: 'Post weekly reports to this Slack-compatible incoming webhook too' })
  async addReportWebhook(@Arg('input') input: AddReportWebhookInput, @Ctx() ctx: SubgraphContext): Promise<ReportWebhook> {
    return toWebhook(await this.webhooks.add(ctx.auth.workspaceId, input.url, input.label, ctx.auth.subject));
  }

  @Authorized('admin')
  @Mutation(() => ReportWebhook, { description: 'Stop posting weekly reports to a webhook' })
  async removeReportWebhook(@Arg('input') input: RemoveReportWebhookInput, @Ctx() ctx: SubgraphContext): Promise<ReportWebhook> {
    return toWebhook(await this.webhooks.remove(ctx.auth.workspaceId, assertUuid(input.id, 'id')));
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => CompiledWeeklyReport, { description: 'Internal: build and store a weekly report (idempotent per run key)' })
  async compileWeeklyReport(@Arg('input') input: CompileWeeklyReportInput, @Ctx() ctx: SubgraphContext): Promise<CompiledWeeklyReport> {
    mondayOfIsoWeek(input.isoWeek);
    const timeZone = canonicalTimeZone(input.timeZone);
    if (!timeZone) throw badInput(`Unknown time zone ${input.timeZone}`);
    const { report, webhookIds } = await this.reports.generate({ id: ctx.auth.workspaceId, name: input.workspaceName, timeZone }, input.isoWeek, input.runKey);
    return { reportId: report.id, webhookIds };
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => WeeklyReportDeliveryResult, { description: 'Internal: one attempt to post a report to one webhook; UNAVAILABLE when it failed' })
  async deliverWeeklyReport(@Arg('input') input: DeliverWeeklyReportInput, @Ctx() ctx: SubgraphContext): Promise<WeeklyReportDeliveryResult> {
    return this.reports.deliver(ctx.auth.workspaceId, assertUuid(input.reportId, 'reportId'), assertUuid(input.webhookId, 'webhookId'));
  }
}

/** The large parts of a report, loaded only when asked for (a list of reports rarely needs them). */
@Resolver(() => WeeklyReport)
export class WeeklyReportFieldsResolver {
  constructor(private readonly reports: WeeklyReportService) {}

  @FieldResolver(() => String, { description: 'The whole report as Markdown' })
  async markdown(@Root() report: WeeklyReport): Promise<string> {
    return (await this.reports.documents(report.id)).markdown;
  }

  @FieldResolver(() => String, { description: 'The whole report as one self-contained HTML page with SVG charts' })
  async html(@Root() report: WeeklyReport): Promise<string> {
    return (await this.reports.documents(report.id)).html;
  }

  @FieldResolver(() => [ReportDelivery], { description: 'How posting it to each webhook went' })
  async deliveries(@Root() report: WeeklyReport): Promise<ReportDelivery[]> {
    return this.reports.deliveries(report.id);
  }
}

function toReport(report: WeeklyReportEntity): WeeklyReport {
  return {
    id: report.id,
    isoWeek: report.isoWeek,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    generatedAt: report.generatedAt,
    headline: { ...report.content.headline, csat: report.content.headline.csat ?? null },
    findings: report.content.findings,
    csatByTopic: report.content.csatByTopic ?? [],
  };
}

function ownWorkspace(workspace: Workspace, ctx: SubgraphContext): void {
  if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Reports of another workspace are not visible');
}

const toWebhook = (webhook: ReportWebhookEntity): ReportWebhook => ({ id: webhook.id, label: webhook.label, destination: maskWebhookUrl(webhook.url), createdAt: webhook.createdAt });

