/** GraphQL types of the customer's signals on an answer. */
import { Field, ID, InputType } from 'type-graphql';
import { ConversationSecretField, IdempotencyKeyField, Rating } from '../conversation/conversation.types';

@InputType()
export class RateAnswerInput {
  @Field(() => ID)
  messageId!: string;

  @Field(() => Rating)
  rating!: Rating;

  @ConversationSecretField()
  conversationSecret?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}
