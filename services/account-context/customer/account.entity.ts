import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import type { BillingState } from './customer.types';
import type { Attributes, UsageCounters } from './profile-fields';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

@Entity({ name: 'accounts' })
@Index(['workspaceId', 'externalId'], { unique: true })
export class AccountEntity extends WorkspaceRowEntity {
  /** The id the workspace's own systems (billing, CRM) know the account by. */
  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'free' })
  plan!: string;

  @Column({ name: 'billing_state', type: 'text', default: 'active' })
  billingState!: BillingState;

  @Column({ type: 'integer', default: 1 })
  seats!: number;

  @Column({ name: 'signed_up_at', type: 'timestamptz', nullable: true })
  signedUpAt!: Date | null;

  @Column({ name: 'onboarded_at', type: 'timestamptz', nullable: true })
  onboardedAt!: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  usage!: UsageCounters;

  @Column({ name: 'feature_flags', type: 'text', array: true, default: () => "'{}'" })
  featureFlags!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  segments!: string[];

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  attributes!: Attributes;

  /** When the billing provider produced the last subscription event applied here; older events are stale. */
  @Column({ name: 'billing_event_at', type: 'timestamptz', nullable: true })
  billingEventAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
