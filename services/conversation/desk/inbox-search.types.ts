import { ArrayMaxSize, IsDate, IsOptional, Matches } from 'class-validator';
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AfterCursorField, PageSizeField } from '../../shared/connection';
import { GroupField } from '../assignment/assignment.types';
import { ConversationStatus } from '../conversation/conversation.types';
import { EnumField, TextField } from '../../shared/input-fields';

export enum SlaState {
  NONE = 'none',
  ON_TRACK = 'on_track',
  DUE_SOON = 'due_soon',
  BREACHED = 'breached',
}
registerEnumType(SlaState, {
  name: 'SlaState',
  description: 'The next SLA of a handed-off conversation: ON_TRACK, DUE_SOON (within the reminder lead time), BREACHED; NONE when no SLA runs (not handed off, or resolved)',
});

export enum ClaimedByFilter {
  ME = 'me',
  ANYONE = 'anyone',
  NOBODY = 'nobody',
}
registerEnumType(ClaimedByFilter, { name: 'ClaimedByFilter' });

/** The inbox's filter by the customer's language, as detected on their latest question. */
export function DetectedLanguageFilterField(): PropertyDecorator {
  return (target, property) => {
    Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639 code in lower case, such as "es"' })(target, property);
    IsOptional()(target, property);
    Field(() => String, { nullable: true, description: "The customer's language (ISO 639 code, e.g. es), as detected on the latest question" })(target, property);
  };
}

@ObjectType({ description: 'The next SLA of a conversation: first response until an agent answers, then resolution' })
export class ConversationSla {
  @Field(() => Date, { nullable: true })
  dueAt!: Date | null;

  @Field(() => SlaState)
  state!: SlaState;
}

@InputType()
export class SearchInboxInput {
  @TextField({ max: 200, optional: true, description: 'Words to find in the questions and replies (web-search syntax: "quoted phrase", -excluded, or)' })
  text?: string;

  @Field(() => [ConversationStatus], { nullable: true, description: 'Default: HANDED_OFF' })
  @IsOptional()
  @ArrayMaxSize(3)
  statuses?: ConversationStatus[];

  @TextField({ max: 200, allowEmpty: true, optional: true })
  topic?: string;

  @TextField({ max: 100, optional: true, description: "The asker's plan, as the AI saw it on the latest turn" })
  plan?: string;

  @DetectedLanguageFilterField()
  language?: string;

  @GroupField('Only conversations re-assigned to this group')
  group?: string;

  @EnumField(ClaimedByFilter, { optional: true, description: 'ME (claimed by the caller), ANYONE (claimed at all) or NOBODY' })
  claimedBy?: ClaimedByFilter;

  @Field(() => [SlaState], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  slaStates?: SlaState[];

  @Field(() => Date, { nullable: true, description: 'Only conversations waiting since before this time (handed off earlier)' })
  @IsOptional()
  @IsDate()
  waitingSinceBefore?: Date;

  @Field(() => Date, { nullable: true, description: 'Only conversations waiting since this time or later' })
  @IsOptional()
  @IsDate()
  waitingSinceAfter?: Date;

  @PageSizeField()
  first?: number;

  @AfterCursorField()
  after?: string;
}
