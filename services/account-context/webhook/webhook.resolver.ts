/** Webhook secrets for a workspace's integrations. Thin: role check and mapping. */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AccountContextContext } from '../context';
import { webhookPathOf } from './webhook-provider';
import { CreateWebhookSecretInput, CreatedWebhookSecret } from './webhook.types';
import { WebhookService } from './webhook.service';

@Resolver()
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Authorized('admin')
  @Mutation(() => CreatedWebhookSecret, {
    description: "Create the signing secret for an integration's webhooks; creating it again rotates it, and the previous secret keeps working for 24 hours",
  })
  async createWebhookSecret(@Arg('input') input: CreateWebhookSecretInput, @Ctx() ctx: AccountContextContext): Promise<CreatedWebhookSecret> {
    const { entity, secret } = await this.webhooks.createSecret(ctx.auth.workspaceId, input.provider);
    return {
      provider: entity.provider,
      secret,
      endpointPath: webhookPathOf(entity.provider),
      createdAt: entity.rotatedAt ?? entity.createdAt,
      previousSecretValidUntil: entity.previousValidUntil,
    };
  }
}
