/**
 * Signed webhooks from a workspace's integrations. A delivery is checked in this order — signature and
 * timestamp (UNAUTHENTICATED), delivery id (BAD_USER_INPUT), replay (CONFLICT), payload (BAD_USER_INPUT) —
 * and, once accepted, its delivery record, the change it maps to and their outbox events are written in one
 * transaction: a delivery is applied exactly once or not at all.
 */
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError, badInput, conflict, unauthenticated } from '../../shared/errors';
import { uniqueViolation } from '../../shared/unique-violation';
import { isUuid } from '../../shared/ids';
import { recordEvents } from '../../shared/outbox';
import type { SecretEnvelope } from '../../shared/secret-envelope';
import type { BugService } from '../bug/bug.service';
import type { CustomerService } from '../customer/customer.service';
import type { IntegrationCommand } from '../integrations/integration-command';
import { parseJsonBody } from '../integrations/payload';
import { WEBHOOK_MAPPERS } from '../integrations/webhook-mappers';
import { webhookSecretPurpose } from '../secrets/stored-secrets';
import { DeliveryOutcome, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookProvider } from './webhook-provider';
import { WebhookSecretEntity } from './webhook-secret.entity';
import { DELIVERY_HEADER, WORKSPACE_HEADER, verifyWebhookSignature } from './webhook-signature';

/** How long the previous secret still verifies after a rotation, so senders can switch without losing deliveries. */
const WEBHOOK_SECRET_GRACE_MS = 24 * 60 * 60_000;

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export interface IncomingWebhook {
  provider: WebhookProvider;
  workspaceId: string | undefined;
  signature: string | undefined;
  deliveryId: string | undefined;
  body: Buffer;
}

export interface WebhookReceipt {
  deliveryId: string;
  eventType: string;
  outcome: DeliveryOutcome;
  /** What the change did (created, updated, unchanged, stale, opened, closed, …) or why it was ignored. */
  detail: string;
}

export interface CreatedWebhookSecret {
  entity: WebhookSecretEntity;
  secret: string;
}

export class WebhookService {
  private readonly secrets: Repository<WebhookSecretEntity>;
  private readonly deliveries: Repository<WebhookDeliveryEntity>;

  constructor(
    private readonly db: DataSource,
    private readonly customers: CustomerService,
    private readonly bugs: BugService,
    private readonly envelope: SecretEnvelope,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.secrets = db.getRepository(WebhookSecretEntity);
    this.deliveries = db.getRepository(WebhookDeliveryEntity);
  }

  /** A new secret for the provider; an existing one becomes the previous secret for the grace period. */
  async createSecret(workspaceId: string, provider: WebhookProvider): Promise<CreatedWebhookSecret> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.envelope.encrypt(secret, webhookSecretPurpose(workspaceId, provider));
    return this.db.transaction(async (tx) => {
      const repository = tx.getRepository(WebhookSecretEntity);
      await repository.createQueryBuilder().insert().into(WebhookSecretEntity).values({ workspaceId, provider, secret: sealed }).orIgnore().execute();
      const entity = await repository.findOneOrFail({ where: { workspaceId, provider }, lock: { mode: 'pessimistic_write' } });
      const rotated = entity.secret !== sealed;
      if (rotated) {
        const now = this.now();
        entity.previousSecret = entity.secret;
        entity.previousValidUntil = new Date(now.getTime() + WEBHOOK_SECRET_GRACE_MS);
        entity.secret = sealed;
        entity.rotatedAt = now;
        await repository.save(entity);
      }
      await recordEvents(tx, [
        {
          workspaceId,
          type: rotated ? 'webhook_secret_rotated' : 'webhook_secret_created',
          payload: { provider, previousValidUntil: entity.previousValidUntil?.toISOString() ?? '' },
        },
      ]);
      return { entity, secret };
    });
  }

  async receive(incoming: IncomingWebhook): Promise<WebhookReceipt> {
    const workspaceId = incoming.workspaceId?.toLowerCase();
    if (!workspaceId || !isUuid(workspaceId)) throw unauthenticated(`The ${WORKSPACE_HEADER} header must carry the workspace id`);
    const verified = verifyWebhookSignature(
      incoming.signature,
      incoming.body,
      await this.validSecrets(workspaceId, incoming.provider),
      Math.floor(this.now().getTime() / 1000),
    );
    const deliveryId = incoming.deliveryId ?? '';
    if (!DELIVERY_ID.test(deliveryId)) {
      throw badInput(`The ${DELIVERY_HEADER} header must be the sender's delivery id: 1 to 200 letters, digits, ".", "_", ":" or "-"`);
    }
    const key = { workspaceId, provider: incoming.provider };
    if (await this.deliveries.existsBy({ ...key, deliveryId })) throw alreadyReceived(deliveryId);
    if (await this.deliveries.existsBy({ ...key, signedDigest: verified.signedDigest })) throw alreadyReceived(deliveryId);

    const command = WEBHOOK_MAPPERS[incoming.provider](parseJsonBody(incoming.body));
    try {
      return await this.db.transaction(async (tx) => {
        const outcome: DeliveryOutcome = command.kind === 'ignore' ? 'ignored' : 'applied';
        await tx.getRepository(WebhookDeliveryEntity).insert({
          ...key,
          deliveryId,
          signedDigest: verified.signedDigest,
          eventType: command.eventType,
          outcome,
          receivedAt: this.now(),
        });
        const detail = await this.apply(tx, workspaceId, command);
        await recordEvents(tx, [
          { workspaceId, type: 'webhook_received', payload: { provider: incoming.provider, deliveryId, eventType: command.eventType, outcome, detail } },
        ]);
        return { deliveryId, eventType: command.eventType, outcome, detail };
      });
    } catch (error) {
      // Two copies of one delivery raced past the check above: the second loses on the unique keys.
      if (uniqueViolation(error)?.startsWith('webhook_deliveries_')) throw alreadyReceived(deliveryId);
      throw error;
    }
  }

  private async apply(tx: EntityManager, workspaceId: string, command: IntegrationCommand): Promise<string> {
    switch (command.kind) {
      case 'account':
        return (await this.customers.applyAccountChange(tx, workspaceId, command.change, command.source)).outcome;
      case 'bug':
        return (await this.bugs.applyBugChange(tx, workspaceId, command.change)).outcome;
      case 'ignore':
        return command.reason;
      default: {
        const unknownCommand: never = command;
        throw new Error(`unhandled integration command ${JSON.stringify(unknownCommand)}`);
      }
    }
  }

  /** The current secret and, inside its grace period, the previous one; none when the workspace set none. */
  private async validSecrets(workspaceId: string, provider: WebhookProvider): Promise<string[]> {
    const found = await this.secrets.findOneBy({ workspaceId, provider });
    if (!found) return [];
    const purpose = webhookSecretPurpose(workspaceId, provider);
    const previousValid = found.previousSecret !== null && found.previousValidUntil !== null && found.previousValidUntil > this.now();
    const sealed = previousValid ? [found.secret, found.previousSecret!] : [found.secret];
    return sealed.map((value) => this.envelope.decrypt(value, purpose));
  }
}

const alreadyReceived = (deliveryId: string): DomainError =>
  conflict(`Delivery ${deliveryId} was already received (or its signed content was); each delivery is applied once`);
