/**
 * An ask's turn written in one SQL statement: the conversation (started, or moved on by this question), its first
 * hand-off when this is one, the customer's question and the AI's turn, the hand-off's escalation command with its
 * NOTIFY, and the turn's events in the outbox. One round trip instead of one per row, and no ORM change tracking
 * on the hot path. The statement is atomic on its own; with an idempotency key it runs in a transaction with it.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, EntityMetadata } from 'typeorm';
import { badInput } from '../../shared/errors';
import { DomainEvent, outboxInsert, outboxTable } from '../../shared/outbox';
import { ConversationEntity } from '../conversation/conversation.entity';
import { MessageEntity } from '../conversation/message.entity';
import { escalationCommandInsert, escalationCommandParams, notifyDispatcher } from '../escalation/escalation-commands';

/** What a new conversation starts with. */
export interface NewConversation {
  workspaceId: string;
  customerId: string | null;
  channel: string | null;
  secretHash: Buffer | null;
  firstTopic: string;
  firstPlan: string;
  firstPage: string;
}

/** A message of the turn, as the ask wrote it (ids, sequence and time are the statement's). */
export type TurnMessage = Omit<Partial<MessageEntity>, 'id' | 'seq' | 'createdAt' | 'workspaceId' | 'conversationId'> & Pick<MessageEntity, 'author' | 'text'>;

export interface Turn {
  workspaceId: string;
  /** The conversation this question continues, or what a new one starts with. */
  conversation: { existing: ConversationEntity } | { started: NewConversation };
  topic: string;
  language: string;
  /** Set when the turn hands the conversation to agents (it was not handed off already). */
  handOff: { reason: string | null } | null;
  question: TurnMessage;
  answer: TurnMessage;
  /** Whether the AI's turn is a hand-off to queue for the escalation workflow (its reason goes in the command). */
  escalate: { reason: string } | null;
  /** The turn's events, given the conversation's and the two messages' ids. */
  events: (ids: { conversationId: string; questionId: string; answerId: string }) => DomainEvent[];
}

export interface WrittenTurn {
  conversation: ConversationEntity;
  question: MessageEntity;
  answer: MessageEntity;
}

/** Why a question cannot be asked in a resolved conversation. */
export const RESOLVED_CONVERSATION = 'This conversation is resolved; reopen it or start a new one to ask again';

/** The message columns the turn writes, in the order of each VALUES row. */
const MESSAGE_COLUMNS: Array<[keyof MessageEntity, string, string]> = [
  ['id', 'id', 'uuid'],
  ['workspaceId', 'workspace_id', 'uuid'],
  ['conversationId', 'conversation_id', 'uuid'],
  ['author', 'author', 'text'],
  ['authorId', 'author_id', 'text'],
  ['text', 'text', 'text'],
  ['page', 'page', 'text'],
  ['citations', 'citations', 'jsonb'],
  ['topic', 'topic', 'text'],
  ['language', 'language', 'text'],
  ['confidence', 'confidence', 'real'],
  ['confidenceScale', 'confidence_scale', 'text'],
  ['decision', 'decision', 'text'],
  ['handOffReason', 'hand_off_reason', 'text'],
  ['candidateItemId', 'candidate_item_id', 'uuid'],
  ['writer', 'writer', 'text'],
  ['askerContext', 'asker_context', 'jsonb'],
  ['contextKeys', 'context_keys', 'text[]'],
  ['threshold', 'threshold', 'real'],
];

/** Writes the turn (in `tx` when given, else as one statement of its own) and returns what it wrote. */
export async function writeTurn(db: DataSource | EntityManager, turn: Turn): Promise<WrittenTurn> {
  const source = 'connection' in db ? db.connection : db;
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const existing = 'existing' in turn.conversation ? turn.conversation.existing : null;
  const conversationId = existing?.id ?? randomUUID();
  const id = param(conversationId, 'uuid');
  const workspace = param(turn.workspaceId, 'uuid');
  const handingOff = param(turn.handOff !== null, 'boolean');
  // The hand-off as a JavaScript date holds it (milliseconds), as the customers' own hand-offs record it; the first
  // hand-off is the statement's time.
  const handedOffAt = param(turn.handOff ? new Date() : null, 'timestamptz');
  const reason = param(turn.handOff?.reason ?? null, 'text');
  const topic = param(turn.topic, 'text');
  const language = param(turn.language, 'text');
  const parts: string[] = [];
  if ('started' in turn.conversation) {
    const started = turn.conversation.started;
    parts.push(`conversation AS (
      INSERT INTO conversation.conversations (id, workspace_id, customer_id, status, channel, secret_hash, first_topic, first_plan, first_page, topic, language, hand_off_reason, handed_off_at, first_handed_off_at)
      VALUES (${id}, ${workspace}, ${param(started.customerId, 'uuid')}, CASE WHEN ${handingOff} THEN 'handed_off' ELSE 'open' END, ${param(started.channel, 'text')},
              ${param(started.secretHash, 'bytea')}, ${param(started.firstTopic, 'text')}, ${param(started.firstPlan, 'text')}, ${param(started.firstPage, 'text')},
              ${topic}, ${language}, CASE WHEN ${handingOff} THEN ${reason} END, ${handedOffAt}, CASE WHEN ${handingOff} THEN now() END)
      RETURNING *)`);
  } else {
    parts.push(`conversation AS (
      UPDATE conversation.conversations
         SET topic = ${topic}, language = ${language}, updated_at = now(),
             status = CASE WHEN ${handingOff} THEN 'handed_off' ELSE status END,
             hand_off_reason = CASE WHEN ${handingOff} THEN ${reason} ELSE hand_off_reason END,
             handed_off_at = CASE WHEN ${handingOff} THEN ${handedOffAt} ELSE handed_off_at END,
             first_handed_off_at = CASE WHEN ${handingOff} THEN coalesce(first_handed_off_at, now()) ELSE first_handed_off_at END
       WHERE id = ${id} AND workspace_id = ${workspace} AND status <> 'resolved'
      RETURNING *)`);
  }
  const question = { ...turn.question, id: randomUUID(), workspaceId: turn.workspaceId, conversationId } as MessageEntity;
  const answer = { ...turn.answer, id: randomUUID(), workspaceId: turn.workspaceId, conversationId } as MessageEntity;
  // One VALUES list: its rows are inserted in order, so the question's seq comes before the answer's.
  const rows = [question, answer].map((message) => `(${MESSAGE_COLUMNS.map(([property, , type]) => param(messageValue(message, property), type)).join(', ')})`);
  // Every write below happens only with the conversation's: a conversation not found (another workspace's) writes nothing.
  const found = 'WHERE EXISTS (SELECT 1 FROM conversation)';
  parts.push(`messages AS (
      INSERT INTO conversation.messages (${MESSAGE_COLUMNS.map(([, column]) => column).join(', ')})
      SELECT * FROM (VALUES ${rows.join(', ')}) turn ${found}
      RETURNING id, seq, created_at)`);
  let notified = '0';
  if (turn.escalate) {
    const first = params.length + 1;
    params.push(...escalationCommandParams({ workspaceId: turn.workspaceId, conversationId, kind: 'hand_off', payload: { aiMessageId: answer.id, reason: turn.escalate.reason } }));
    parts.push(`command AS (${escalationCommandInsert(first, found)})`);
    notified = `(SELECT count(*) FROM (${notifyDispatcher('command')}) n)`;
  }
  const events = turn.events({ conversationId, questionId: question.id, answerId: answer.id });
  if (events.length > 0) {
    const insert = outboxInsert(outboxTable(source), events, params.length + 1, found);
    params.push(...insert.params);
    parts.push(`events AS (${insert.sql})`);
  }
  const sql = `WITH ${parts.join(',\n')}
    SELECT c.*, (SELECT array_agg(m.seq::text ORDER BY m.seq) FROM messages m) AS "messageSeqs", (SELECT min(m.created_at) FROM messages m) AS "messagesAt", ${notified} AS notified
      FROM conversation c`;
  const [row] = (await db.query(sql, params)) as Array<Record<string, unknown> & { messageSeqs: string[]; messagesAt: Date }>;
  // The caller found the conversation open; not found now, it was resolved while the question was being answered
  // (the update waited for that resolution's row lock, then saw it), and the turn wrote nothing.
  if (!row) throw badInput(RESOLVED_CONVERSATION);
  const [questionSeq, answerSeq] = row.messageSeqs;
  const metadata = source.getMetadata(ConversationEntity);
  return {
    conversation: hydrated<ConversationEntity>(metadata, row),
    question: Object.assign(new MessageEntity(), question, { seq: questionSeq!, createdAt: row.messagesAt }),
    answer: Object.assign(new MessageEntity(), answer, { seq: answerSeq!, createdAt: row.messagesAt }),
  };
}

/** What the column holds for a message property the turn left unset: the column's default, or null. */
function messageValue(message: MessageEntity, property: keyof MessageEntity): unknown {
  const value = message[property];
  if (value === null) return null;
  if (value !== undefined) return property === 'citations' || property === 'askerContext' ? JSON.stringify(value) : value;
  if (property === 'citations') return '[]';
  if (property === 'contextKeys') return [];
  if (property === 'topic') return '';
  return null;
}

/** An entity from a row the statement returned (every column, by its database name); columns not selectable stay unset. */
function hydrated<T>(metadata: EntityMetadata, row: Record<string, unknown>): T {
  const entity = metadata.create() as T;
  for (const column of metadata.columns) if (column.isSelect && column.databaseName in row) column.setEntityValue(entity as object, row[column.databaseName]);
  return entity;
}
