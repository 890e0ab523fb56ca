/**
 * A conversation's firsts: its first hand-off, first reply from a person and first resolution, each claimed once
 * in SQL inside the transaction that records it (two agents replying at once cannot both be first). The first
 * reply and the first resolution carry their duration and the conversation's start and first question on their
 * event, so insights reads response and resolution times from those events alone.
 */
import type { EntityManager } from 'typeorm';
import { rowsOf } from '../../shared/sql-rows';

/** What the first reply or resolution adds to its event's payload (nothing when it is not the first). */
export interface FirstsStamp {
  conversationStartedAt?: string;
  /** Milliseconds from the first hand-off to the first reply; absent when the reply came before any hand-off. */
  firstResponseMs?: number;
  /** Milliseconds from the conversation's start to its first resolution. */
  resolutionMs?: number;
  firstTopic?: string;
  firstPlan?: string;
  firstPage?: string;
  firstChannel?: string;
  firstLanguage?: string;
}

interface ClaimedRow {
  started: Date;
  first_topic: string | null;
  first_plan: string | null;
  first_page: string | null;
  channel: string | null;
  language: string | null;
  elapsed_ms: string | number | null;
}

/** The conversation's start and first question, returned by each claim. */
const CONVERSATION = `created_at AS started, first_topic, first_plan, first_page, channel, language`;

/** Records the conversation's first hand-off (a later one changes nothing). */
export async function markFirstHandOff(tx: EntityManager, conversationId: string): Promise<void> {
  await tx.query(`UPDATE conversation.conversations SET first_handed_off_at = now() WHERE id = $1 AND first_handed_off_at IS NULL`, [conversationId]);
}

/** Claims the conversation's first reply from a person; the stamp for its event, or {} when one came before. */
export async function claimFirstReply(tx: EntityManager, conversationId: string): Promise<FirstsStamp> {
  const row = await claimFirst(tx, conversationId, 'first_replied_at', 'first_handed_off_at');
  return row ? stamp(row, row.elapsed_ms === null ? {} : { firstResponseMs: Number(row.elapsed_ms) }) : {};
}

/** Claims the conversation's first resolution; the stamp for its event, or {} when it was resolved before. */
export async function claimFirstResolution(tx: EntityManager, conversationId: string): Promise<FirstsStamp> {
  const row = await claimFirst(tx, conversationId, 'first_resolved_at', 'created_at');
  return row ? stamp(row, { resolutionMs: Math.max(0, Number(row.elapsed_ms)) }) : {};
}

/** Sets `column` to now if it is still empty; the conversation and the milliseconds since `since` (null if unset). */
async function claimFirst(tx: EntityManager, conversationId: string, column: 'first_replied_at' | 'first_resolved_at', since: 'first_handed_off_at' | 'created_at'): Promise<ClaimedRow | undefined> {
  const rows = rowsOf<ClaimedRow>(await tx.query(
    `UPDATE conversation.conversations SET ${column} = now()
      WHERE id = $1 AND ${column} IS NULL
      RETURNING ${CONVERSATION}, (extract(epoch FROM now() - ${since}) * 1000)::bigint AS elapsed_ms`,
    [conversationId],
  ));
  return rows[0];
}

function stamp(row: ClaimedRow, duration: Pick<FirstsStamp, 'firstResponseMs' | 'resolutionMs'>): FirstsStamp {
  return {
    conversationStartedAt: new Date(row.started).toISOString(),
    ...duration,
    firstTopic: row.first_topic ?? '',
    firstPlan: row.first_plan ?? '',
    firstPage: row.first_page ?? '',
    firstChannel: row.channel ?? '',
    firstLanguage: row.language ?? '',
  };
}
