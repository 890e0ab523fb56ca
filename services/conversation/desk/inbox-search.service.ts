/**
 * Inbox search: full-text over every message of a conversation (questions, AI and agent replies) plus the
 * filters an agent works by, sorted by when the next SLA falls due. The SLA clock is the workspace's escalation
 * settings applied to the hand-off: first response due `firstResponseMs` after it until an agent replies or
 * corrects, then resolution due `resolutionMs` after it; "due soon" is the reminder lead time before that.
 * SQL stays here, with bound parameters only.
 */
import type { DataSource } from 'typeorm';
import { cursorPart, keysetCursor, sortKeyText, pageOf } from '../../shared/keyset-cursor';
import type { EscalationSettingsService } from '../escalation/escalation-settings.service';
import type { ConversationStatusValue } from '../conversation/conversation.entity';

export type SlaStateValue = 'none' | 'on_track' | 'due_soon' | 'breached';

export interface InboxQuery {
  text?: string;
  statuses?: ConversationStatusValue[];
  topic?: string;
  plan?: string;
  language?: string;
  group?: string;
  /** A subject (the caller's, for "mine"), or 'anyone' / 'nobody'. */
  claimedBy?: { subject: string } | 'anyone' | 'nobody';
  slaStates?: SlaStateValue[];
  waitingSinceBefore?: Date;
  waitingSinceAfter?: Date;
}

export interface SlaFacts {
  dueAt: Date | null;
  state: SlaStateValue;
}

export interface InboxHit extends SlaFacts {
  conversationId: string;
  cursor: string;
}

/**
 * A page of hits ends at its last hit's (SLA due time, or 'infinity' for none, id), the time as Postgres's own text
 * (keyset-cursor.ts): a JavaScript date would cut its microseconds, and the row a page ended on would then sort after
 * its own cursor and open the next page again.
 */
// Tagged: a plain (time, id) cursor of another conversation list has the same shape, and was read here as an SLA
// due time (and this one there as a creation time), paging silently from the wrong place.
const inboxCursor = keysetCursor(
  [cursorPart.literal('sla'), cursorPart.either(cursorPart.literal('infinity'), cursorPart.timestamp), cursorPart.uuid],
  'after must be a cursor returned by searchInbox',
);

/** The conversations of a workspace with the due time and state of their next SLA; $1..$4 are fixed. */
const TIMED = `
  WITH timed AS (
    SELECT c.*,
      CASE
        WHEN c.status <> 'handed_off' OR c.handed_off_at IS NULL THEN NULL
        WHEN NOT EXISTS (SELECT 1 FROM conversation.messages r WHERE r.conversation_id = c.id AND r.author = 'agent' AND r.created_at >= c.handed_off_at)
          THEN c.handed_off_at + make_interval(secs => $2::float8 / 1000)
        ELSE c.handed_off_at + make_interval(secs => $3::float8 / 1000)
      END AS sla_due_at
    FROM conversation.conversations c
    WHERE c.workspace_id = $1
  ), stated AS (
    SELECT t.*,
      CASE
        WHEN t.sla_due_at IS NULL THEN 'none'
        WHEN t.sla_due_at <= now() THEN 'breached'
        WHEN t.sla_due_at <= now() + make_interval(secs => $4::float8 / 1000) THEN 'due_soon'
        ELSE 'on_track'
      END AS sla_state
    FROM timed t
  )`;

interface Row {
  id: string;
  sla_due_at: Date | null;
  sla_state: SlaStateValue;
  /** The sort key as text, for the cursor. */
  sort_key: string;
}

export class InboxSearchService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: EscalationSettingsService,
  ) {}

  async search(workspaceId: string, query: InboxQuery, first: number, after: string | undefined): Promise<{ hits: InboxHit[]; hasNextPage: boolean }> {
    const sla = await this.settings.get(workspaceId);
    const params: unknown[] = [workspaceId, sla.firstResponseMs, sla.resolutionMs, sla.reminderBeforeMs];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (query.text !== undefined) {
      where.push(`s.id IN (SELECT m.conversation_id FROM conversation.messages m
                           WHERE m.workspace_id = $1 AND to_tsvector('english'::regconfig, m.text) @@ websearch_to_tsquery('english'::regconfig, ${bind(query.text)}))`);
    }
    if (query.statuses?.length) where.push(`s.status = ANY(${bind(query.statuses)}::text[])`);
    if (query.topic !== undefined) where.push(`s.topic = ${bind(query.topic)}`);
    if (query.group !== undefined) where.push(`s.assigned_group = ${bind(query.group)}`);
    if (query.language !== undefined) where.push(`s.language = ${bind(query.language)}`);
    if (query.plan !== undefined) {
      // The plan the AI saw on the conversation's latest turn.
      where.push(`(SELECT a.asker_context->>'plan' FROM conversation.messages a WHERE a.conversation_id = s.id AND a.author = 'ai' ORDER BY a.seq DESC LIMIT 1) = ${bind(query.plan)}`);
    }
    if (query.claimedBy === 'anyone') where.push('s.claimed_by IS NOT NULL');
    else if (query.claimedBy === 'nobody') where.push('s.claimed_by IS NULL');
    else if (query.claimedBy) where.push(`s.claimed_by = ${bind(query.claimedBy.subject)}`);
    if (query.slaStates?.length) where.push(`s.sla_state = ANY(${bind(query.slaStates)}::text[])`);
    if (query.waitingSinceBefore) where.push(`s.handed_off_at < ${bind(query.waitingSinceBefore)}`);
    if (query.waitingSinceAfter) where.push(`s.handed_off_at >= ${bind(query.waitingSinceAfter)}`);
    if (after) {
      const [, due, id] = inboxCursor.decode(after);
      where.push(`(coalesce(s.sla_due_at, 'infinity'::timestamptz), s.id) > (${bind(due)}::timestamptz, ${bind(id)}::uuid)`);
    }
    const sql = `${TIMED}
      SELECT s.id, s.sla_due_at, s.sla_state, ${sortKeyText("coalesce(s.sla_due_at, 'infinity'::timestamptz)")} AS sort_key FROM stated s
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY coalesce(s.sla_due_at, 'infinity'::timestamptz), s.id
      LIMIT ${bind(first + 1)}`;
    const { rows, hasNextPage } = pageOf<Row>(await this.db.query(sql, params), first);
    const hits = rows.map((row) => ({
      conversationId: row.id,
      dueAt: row.sla_due_at,
      state: row.sla_state,
      cursor: inboxCursor.encode(['sla', row.sort_key, row.id]),
    }));
    return { hits, hasNextPage };
  }

  /** The SLA of conversations read some other way (inbox, conversation(id)). */
  async slaOf(workspaceId: string, conversationIds: readonly string[]): Promise<Map<string, SlaFacts>> {
    const sla = await this.settings.get(workspaceId);
    const rows: Row[] = await this.db.query(`${TIMED} SELECT s.id, s.sla_due_at, s.sla_state FROM stated s WHERE s.id = ANY($5::uuid[])`, [
      workspaceId,
      sla.firstResponseMs,
      sla.resolutionMs,
      sla.reminderBeforeMs,
      [...conversationIds],
    ]);
    return new Map(rows.map((row) => [row.id, { dueAt: row.sla_due_at, state: row.sla_state }]));
  }
}
