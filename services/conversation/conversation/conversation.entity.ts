import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

export type ConversationStatusValue = 'open' | 'handed_off' | 'resolved';

@Entity({ name: 'conversations' })
export class ConversationEntity extends WorkspaceRowEntity {
  /** Account-context's customer id; null for an anonymous widget visitor. */
  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'text' })
  status!: ConversationStatusValue;

  @Column({ name: 'hand_off_reason', type: 'text', nullable: true })
  handOffReason!: string | null;

  @Column({ name: 'handed_off_at', type: 'timestamptz', nullable: true })
  handedOffAt!: Date | null;

  /** Who is working on the hand-off: agent:<id> for a person's key, key:<id> for a shared workspace key. */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  /** The group (of agents) the conversation waits for, when it was re-assigned to one rather than a person. */
  @Column({ name: 'assigned_group', type: 'text', nullable: true })
  assignedGroup!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Topic of the latest question, from the knowledge it matched. */
  @Column({ type: 'text', default: '' })
  topic!: string;

  /** Where the conversation started (widget, email, …), as the front-end named it; fixed by the first question. */
  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  /** The language of the latest question (ISO 639), as detected. */
  @Column({ type: 'text', nullable: true })
  language!: string | null;

  /** SHA-256 of the secret an anonymous visitor's conversation was started with; null for a signed-in customer's. */
  @Column({ name: 'secret_hash', type: 'bytea', nullable: true, select: false })
  secretHash!: Buffer | null;

  /** The customer's satisfaction (1–5) after resolution; null until they answered the survey. */
  @Column({ name: 'csat_score', type: 'smallint', nullable: true })
  csatScore!: number | null;

  @Column({ name: 'csat_comment', type: 'text', nullable: true })
  csatComment!: string | null;

  @Column({ name: 'csat_at', type: 'timestamptz', nullable: true })
  csatAt!: Date | null;

  /** agents, or backup once the resolution SLA was breached. */
  @Column({ name: 'escalation_level', type: 'text', default: 'agents' })
  escalationLevel!: string;

  /** The first question's topic, plan and page: what its response and resolution times are filtered by. */
  @Column({ name: 'first_topic', type: 'text', nullable: true })
  firstTopic!: string | null;

  @Column({ name: 'first_plan', type: 'text', nullable: true })
  firstPlan!: string | null;

  @Column({ name: 'first_page', type: 'text', nullable: true })
  firstPage!: string | null;

  /** Set once, in SQL (conversation-firsts.ts), never by saving the entity. */
  @Column({ name: 'first_handed_off_at', type: 'timestamptz', nullable: true, update: false, insert: false })
  firstHandedOffAt!: Date | null;

  @Column({ name: 'first_replied_at', type: 'timestamptz', nullable: true, update: false, insert: false })
  firstRepliedAt!: Date | null;

  @Column({ name: 'first_resolved_at', type: 'timestamptz', nullable: true, update: false, insert: false })
  firstResolvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
