import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MessageAuthorValue = 'customer' | 'ai' | 'agent';

export interface CitationRecord {
  knowledgeItemId: string;
  itemVersion: number;
  passageId: string;
  passage: string;
}

@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Insertion order: messages written in one transaction share created_at. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ type: 'text' })
  author!: MessageAuthorValue;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text', nullable: true })
  page!: string | null;

  @Column({ type: 'real', nullable: true })
  confidence!: number | null;

  @Column({ type: 'text', nullable: true })
  decision!: string | null;

  @Column({ name: 'hand_off_reason', type: 'text', nullable: true })
  handOffReason!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  citations!: CitationRecord[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
