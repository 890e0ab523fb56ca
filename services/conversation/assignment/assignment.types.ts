/** GraphQL types of who holds a conversation: re-assignment to an agent or a group. */
import { IsOptional, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** Agent groups are lowercase routing labels (account-context checks the same pattern). */
const GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An optional agent group on an input: `@GroupField('…') group?: string`. */
export function GroupField(description: string): PropertyDecorator {
  return (target, property) => {
    Matches(GROUP_PATTERN, { message: 'group must be lowercase letters, digits, _ or -, 1-64 characters' })(target, property);
    IsOptional()(target, property);
    Field(() => String, { nullable: true, description })(target, property);
  };
}

@InputType({ description: 'Give a conversation to a person (agentId) or to a group (group): exactly one of the two' })
export class ReassignConversationInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID, { nullable: true, description: 'The agent who takes it over; it becomes claimed by them' })
  @IsOptional()
  agentId?: string;

  @GroupField('The group it waits for; it becomes unclaimed, and shows in inbox(filter: { group })')
  group?: string;
}
