import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import type { Attributes } from './profile-fields';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

@Entity({ name: 'customers' })
@Index(['workspaceId', 'externalId'], { unique: true })
export class CustomerEntity extends WorkspaceRowEntity {
  /** The end-customer id the workspace signs into customer tokens (the token's sub). */
  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Index()
  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  attributes!: Attributes;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
