import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

export type BugStatusValue = 'open' | 'closed';

/** A bug from the workspace's bug tracker, kept so answers can say "this is a known issue". */
@Entity({ name: 'bugs' })
@Index(['workspaceId', 'source', 'externalId'], { unique: true })
export class BugEntity extends WorkspaceRowEntity {
  /** Which tracker the bug comes from, e.g. "bug_tracker"; external ids are unique within it. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  status!: BugStatusValue;

  @Column({ name: 'product_areas', type: 'text', array: true, default: () => "'{}'" })
  productAreas!: string[];

  /** The affected accounts by the workspace's external ids: a bug may name an account before it exists here. */
  @Column({ name: 'account_external_ids', type: 'text', array: true, default: () => "'{}'" })
  accountExternalIds!: string[];

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** When the tracker event it was last written from happened: an older event delivered later is stale. */
  @Column({ name: 'tracker_event_at', type: 'timestamptz', nullable: true })
  trackerEventAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
