import { Column, CreateDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

export type KnowledgeKind = 'article' | 'learned_answer';
export type KnowledgeStatus = 'published' | 'pending_review' | 'archived';

@Entity({ name: 'knowledge_items' })
@Index(['workspaceId', 'status'])
export class KnowledgeItemEntity extends WorkspaceRowEntity {
  @Column({ type: 'text' })
  kind!: KnowledgeKind;

  @Column({ type: 'text' })
  status!: KnowledgeStatus;

  @Column({ type: 'text' })
  title!: string;

  /** Markdown. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text', default: '' })
  topic!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** The language the item is written in ('en', 'es', ...): retrieval prefers the asker's. */
  @Column({ type: 'text', default: 'en' })
  locale!: string;

  /** Every edit is a new version; answers cite the version they used. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** The importer's stable key (e.g. a data set's label or a file's slug): re-imports update, never duplicate. */
  @Column({ name: 'external_key', type: 'text', nullable: true })
  externalKey!: string | null;

  /** Plans the item is for; empty means every plan. */
  @Column({ name: 'audience_plans', type: 'text', array: true, default: () => "'{}'" })
  audiencePlans!: string[];

  @Column({ name: 'audience_segments', type: 'text', array: true, default: () => "'{}'" })
  audienceSegments!: string[];

  /**
   * For a learned answer: the context its correction applies to (the agent's scope). Plans: served only to askers
   * on one of them (empty: every plan). Areas: served only from pages in all of these product areas (empty: any page).
   */
  @Column({ name: 'scope_plans', type: 'text', array: true, default: () => "'{}'" })
  scopePlans!: string[];

  @Column({ name: 'scope_areas', type: 'text', array: true, default: () => "'{}'" })
  scopeAreas!: string[];

  @Column({ type: 'boolean', default: false })
  stale!: boolean;

  @Column({ name: 'stale_since', type: 'timestamptz', nullable: true })
  staleSince!: Date | null;

  @Column({ name: 'stale_reason', type: 'text', nullable: true })
  staleReason!: string | null;

  /** Marked by an admin (security, fraud, account closure): answered alone only above the workspace's sensitive bar. */
  @Column({ type: 'boolean', default: false })
  sensitive!: boolean;

  /** A stale learned answer replaced by an agent's newer answer from the same sources: its questions teach that one. */
  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy!: string | null;

  /** For learned answers: the conversation, agent and time it came from, and the items it refers to. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  provenance!: Record<string, unknown>;

  /** Hash of a learned answer's normalised text and references: the same correction twice makes one item. */
  @Column({ name: 'answer_hash', type: 'text', nullable: true })
  answerHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
