import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookProvider } from './webhook-provider';
import { EnumField } from '../../shared/input-fields';

registerEnumType(WebhookProvider, {
  name: 'WebhookProvider',
  description: 'An integration that posts signed webhooks: BILLING (subscriptions), CRM (companies), BUG_TRACKER (issues)',
});

@InputType()
export class CreateWebhookSecretInput {
  @EnumField(WebhookProvider)
  provider!: WebhookProvider;
}

@ObjectType()
export class CreatedWebhookSecret {
  @Field(() => WebhookProvider)
  provider!: WebhookProvider;

  @Field({ description: 'The signing secret. Shown once; configure it in the integration.' })
  secret!: string;

  @Field({ description: 'Where the integration posts, relative to this service, e.g. /webhooks/billing' })
  endpointPath!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'After a rotation, the previous secret verifies until this time' })
  previousSecretValidUntil!: Date | null;
}
