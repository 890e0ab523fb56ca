import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import type { WebhookProvider } from './webhook-provider';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

/**
 * The shared secret a workspace's integration signs webhooks with, sealed (services/shared/secret-envelope.ts):
 * verifying an HMAC needs the secret itself, so it is encrypted rather than hashed. After a rotation the
 * previous secret still verifies until previous_valid_until.
 */
@Entity({ name: 'webhook_secrets' })
@Index(['workspaceId', 'provider'], { unique: true })
export class WebhookSecretEntity extends WorkspaceRowEntity {
  @Column({ type: 'text' })
  provider!: WebhookProvider;

  @Column({ type: 'text' })
  secret!: string;

  @Column({ name: 'previous_secret', type: 'text', nullable: true })
  previousSecret!: string | null;

  @Column({ name: 'previous_valid_until', type: 'timestamptz', nullable: true })
  previousValidUntil!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;
}
