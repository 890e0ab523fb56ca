import { IsIn } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IdField, IdListField, IntField, TextField } from '../../shared/input-fields';

export const ESCALATION_STEP_KINDS = ['offered', 'reminded', 'reassigned', 'escalated_to_backup', 'resolved', 'reopened'] as const;

@ObjectType({ description: 'Something the escalation workflow did: offered the case, sent a reminder, re-assigned it…' })
export class EscalationStep {
  @Field({ description: ESCALATION_STEP_KINDS.join(', ') })
  kind!: string;

  @Field(() => GraphQLJSONObject)
  detail!: Record<string, unknown>;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: "A workspace's escalation SLAs, in milliseconds" })
export class EscalationSettings {
  @Field(() => Int, { description: 'An agent must first respond within this' })
  firstResponseMs!: number;

  @Field(() => Int, { description: 'A case must be resolved within this, or it goes to the backup group' })
  resolutionMs!: number;

  @Field(() => Int, { description: 'How long before a first-response breach the reminder goes out' })
  reminderBeforeMs!: number;

  @Field(() => Int, { description: 'A reopen within this after resolution continues the same case' })
  reopenWindowMs!: number;
}

const MAX_MS = 30 * 24 * 3_600_000;

@InputType()
export class UpdateEscalationSettingsInput {
  @IntField({ min: 100, max: MAX_MS, optional: true })
  firstResponseMs?: number;

  @IntField({ min: 100, max: MAX_MS, optional: true })
  resolutionMs?: number;

  @IntField({ min: 0, max: MAX_MS, optional: true })
  reminderBeforeMs?: number;

  @IntField({ min: 0, max: MAX_MS, optional: true })
  reopenWindowMs?: number;
}

@Directive('@inaccessible')
@InputType({ description: 'Internal: tell the customer a corrected answer (idempotent per corrected message)' })
export class DeliverCorrectionInput {
  @IdField()
  messageId!: string;

  @TextField({ max: 20_000 })
  correctedText!: string;

  @IdListField({ max: 20 })
  knowledgeItemIds!: string[];

  @IdField({ optional: true, description: 'The learned answer the correction made or taught; absent when learning is frozen' })
  learnedAnswerId?: string | null;

  @TextField({ max: 200 })
  agent!: string;
}

@Directive('@inaccessible')
@ObjectType()
export class DeliveredCorrection {
  @Field(() => ID)
  agentMessageId!: string;
}

@Directive('@inaccessible')
@InputType({ description: 'Internal: a step of an escalation workflow (idempotent per stepKey)' })
export class RecordEscalationStepInput {
  @IdField()
  conversationId!: string;

  @Field(() => String)
  @IsIn(ESCALATION_STEP_KINDS)
  kind!: (typeof ESCALATION_STEP_KINDS)[number];

  @TextField({ max: 300 })
  stepKey!: string;

  @Field(() => GraphQLJSONObject)
  detail!: Record<string, unknown>;
}

@Directive('@inaccessible')
@InputType({ description: 'Internal: release the claim of the agent who breached the first-response SLA' })
export class ReleaseClaimInput {
  @IdField()
  conversationId!: string;

  @TextField({ max: 200, description: 'The claim to release (agent:<id> or key:<id>); another holder keeps theirs' })
  from!: string;
}
