import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type KnowledgeKind = 'article' | 'learned_answer';
export type KnowledgeStatus = 'published' | 'pending_review' | 'archived';

@Entity({ name: 'knowledge_items' })
@Index(['workspaceId', 'status'])
export class KnowledgeItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

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

  /** Every edit is a new version; answers cite the version they used. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
