import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MessageAuthorValue = 'customer' | 'ai' | 'agent';

export interface CitationRecord {
  knowledgeItemId: string;
  itemVersion: number;
  passageId: string;
  passage: string;
  /** The cited item's locale when the answer was written in another language (a translation of it). */
  translatedFrom?: string;
}

export interface AskerContextRecord {
  plan: string | null;
  billingState: string | null;
  /** When the asker's account signed up (absent on turns from before tenure was recorded). */
  signedUpAt?: string | null;
  segments: string[];
  openBugs: Array<{ title: string; productAreas: string[] }>;
  /** The open bug the question was about (see answering/known-issues.ts); absent when none was. */
  knownIssue?: { id: string; title: string; productAreas: string[]; url: string | null };
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

  /** Knowledge's confidence scale for `confidence` (retrieval, intent): the threshold an outcome of the turn calibrates. */
  @Column({ name: 'confidence_scale', type: 'text', nullable: true })
  confidenceScale!: string | null;

  @Column({ type: 'text', nullable: true })
  decision!: string | null;

  @Column({ name: 'hand_off_reason', type: 'text', nullable: true })
  handOffReason!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  citations!: CitationRecord[];

  /** Who wrote it: the agent's key subject, or the verified customer. */
  @Column({ name: 'author_id', type: 'text', nullable: true })
  authorId!: string | null;

  @Column({ type: 'text', default: '' })
  topic!: string;

  /** For customer questions: their language (ISO 639), as detected. */
  @Column({ type: 'text', nullable: true })
  language!: string | null;

  /** For AI turns: the item the AI would cite, also when it handed off (so a correction can grade it). */
  @Column({ name: 'candidate_item_id', type: 'uuid', nullable: true })
  candidateItemId!: string | null;

  @Column({ type: 'text', nullable: true })
  rating!: 'up' | 'down' | null;

  /** The first signal that settled whether this AI turn was right; later signals do not recalibrate. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'corrects_message_id', type: 'uuid', nullable: true })
  correctsMessageId!: string | null;

  @Column({ name: 'corrected_at', type: 'timestamptz', nullable: true })
  correctedAt!: Date | null;

  @Column({ name: 'repeat_counted', type: 'boolean', default: false })
  repeatCounted!: boolean;

  /** For AI turns: the account context it answered with (plan, billing state, segments, open bugs); null when none. */
  @Column({ name: 'asker_context', type: 'jsonb', nullable: true })
  askerContext!: AskerContextRecord | null;

  /** For AI turns: the context buckets it was answered in (asker-buckets.ts); its outcomes count in them too. */
  @Column({ name: 'context_keys', type: 'text', array: true, default: () => "'{}'" })
  contextKeys!: string[];

  /** For AI turns: the topic's threshold the confidence was held to. */
  @Column({ type: 'real', nullable: true })
  threshold!: number | null;

  /** model or extractive, for AI answers. */
  @Column({ type: 'text', nullable: true })
  writer!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
