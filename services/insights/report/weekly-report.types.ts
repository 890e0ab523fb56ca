import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType, EdgeType, PageSizeField } from '../../shared/connection';
import { TopicCsat } from '../metrics/support-metrics.types';
import { TextField } from '../../shared/input-fields';

@ObjectType({ description: 'A figure this week and the week before' })
export class HeadlineFigure {
  @Field(() => Float, { nullable: true })
  current!: number | null;

  @Field(() => Float, { nullable: true })
  previous!: number | null;
}

@ObjectType({ description: "The report's headline figures; they equal `support` and `learningCurve` for the same weeks" })
export class WeeklyHeadline {
  @Field(() => HeadlineFigure)
  questions!: HeadlineFigure;

  @Field(() => HeadlineFigure)
  automationRate!: HeadlineFigure;

  @Field(() => HeadlineFigure)
  handOffRate!: HeadlineFigure;

  @Field(() => HeadlineFigure)
  resolutionRate!: HeadlineFigure;

  @Field(() => HeadlineFigure)
  satisfaction!: HeadlineFigure;

  @Field(() => HeadlineFigure, { nullable: true, description: 'CSAT: share of responses scoring 4 or 5; null in reports made before CSAT existed' })
  csat!: HeadlineFigure | null;

  @Field(() => HeadlineFigure, { description: 'Seconds' })
  medianFirstResponseSeconds!: HeadlineFigure;

  @Field(() => HeadlineFigure, { description: 'Seconds' })
  medianResolutionSeconds!: HeadlineFigure;

  @Field(() => HeadlineFigure)
  correctionsAbsorbed!: HeadlineFigure;
}

@ObjectType({ description: 'Where weekly reports are posted (Slack-compatible incoming webhook)' })
export class ReportWebhook {
  @Field(() => ID)
  id!: string;

  @Field()
  label!: string;

  @Field({ description: 'Scheme and host only: the full URL is a secret' })
  destination!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'How posting a report to one webhook went' })
export class ReportDelivery {
  @Field(() => ID)
  webhookId!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt' })
  lastStatus!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType({ description: 'A weekly intelligence report' })
export class WeeklyReport {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'ISO week, e.g. 2026-W48' })
  isoWeek!: string;

  @Field({ description: "Monday 00:00 in the workspace's time zone" })
  periodStart!: Date;

  @Field({ description: 'The next Monday 00:00 (exclusive)' })
  periodEnd!: Date;

  @Field()
  generatedAt!: Date;

  @Field(() => WeeklyHeadline)
  headline!: WeeklyHeadline;

  @Field(() => [String], { description: 'Three to five plain-language findings' })
  findings!: string[];

  @Field(() => [TopicCsat], { description: "CSAT by topic for the week (equals `support(...).csatByTopic`, at most 10 topics); empty in reports made before CSAT existed" })
  csatByTopic!: TopicCsat[];
}

@ObjectType()
class WeeklyReportEdge extends EdgeType(WeeklyReport, { cursorDescription: 'The ISO week' }) {}

@ObjectType()
export class WeeklyReportConnection extends ConnectionType(WeeklyReportEdge) {}

@InputType()
export class GenerateWeeklyReportInput {
  @TextField({ max: 8, allowEmpty: true, description: 'ISO week, e.g. 2026-W48' })
  isoWeek!: string;
}

@InputType()
export class AddReportWebhookInput {
  @TextField({ max: 2048, allowEmpty: true, description: 'https URL of a Slack (or compatible) incoming webhook' })
  url!: string;

  @TextField({ max: 100, allowEmpty: true })
  label!: string;
}

@InputType()
export class RemoveReportWebhookInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class WeeklyReportsArgs {
  @PageSizeField('Default 10')
  first?: number;

  @TextField({ max: 8, allowEmpty: true, optional: true })
  after?: string;
}

/** Internal (worker → insights). */
@InputType()
export class CompileWeeklyReportInput {
  @TextField({ max: 8, allowEmpty: true })
  isoWeek!: string;

  @TextField({ max: 200, allowEmpty: true })
  workspaceName!: string;

  @TextField({ max: 100, allowEmpty: true })
  timeZone!: string;

  @TextField({ max: 200, allowEmpty: true, description: 'The workflow run generating it; a retry with the same key changes nothing' })
  runKey!: string;
}

@ObjectType()
export class CompiledWeeklyReport {
  @Field(() => ID)
  reportId!: string;

  @Field(() => [ID])
  webhookIds!: string[];
}

@InputType()
export class DeliverWeeklyReportInput {
  @Field(() => ID)
  reportId!: string;

  @Field(() => ID)
  webhookId!: string;
}

@ObjectType()
export class WeeklyReportDeliveryResult {
  @Field({ description: 'delivered, already_delivered or webhook_removed' })
  outcome!: string;

  @Field(() => Int)
  attempts!: number;
}
