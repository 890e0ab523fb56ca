/** GraphQL types of who holds a conversation: re-assignment to an agent or a group. */
import { IsOptional, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** Agent groups are lowercase routing labels (account-context checks the same pattern). */
export const GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

@InputType({ description: 'Give a conversation to a person (agentId) or to a group (group): exactly one of the two' })
export class ReassignConversationInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID, { nullable: true, description: 'The agent who takes it over; it becomes claimed by them' })
  @IsOptional()
  agentId?: string;

  @Field({ nullable: true, description: 'The group it waits for; it becomes unclaimed, and shows in inbox(filter: { group })' })
  @IsOptional()
  @Matches(GROUP_PATTERN, { message: 'group must be lowercase letters, digits, _ or -, 1-64 characters' })
  group?: string;
}
