import { Column, Entity, Index } from 'typeorm';
import type { WebhookProvider } from './webhook-provider';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

export type DeliveryOutcome = 'applied' | 'ignored';

/** One accepted webhook delivery: the replay guard, and a record of what was done with it. */
@Entity({ name: 'webhook_deliveries' })
@Index(['workspaceId', 'provider', 'deliveryId'], { unique: true })
@Index(['workspaceId', 'provider', 'signedDigest'], { unique: true })
export class WebhookDeliveryEntity extends WorkspaceRowEntity {
  @Column({ type: 'text' })
  provider!: WebhookProvider;

  /** The sender's id for the delivery (x-loopdesk-delivery). */
  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId!: string;

  /** SHA-256 of the signed "<t>.<body>": unique, so a replay under a new delivery id is caught too. */
  @Column({ name: 'signed_digest', type: 'text' })
  signedDigest!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  outcome!: DeliveryOutcome;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
