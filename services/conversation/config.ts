/** Conversation's configuration, parsed once at start-up. */
import { z } from 'zod';
import { answeringEnv } from './answering/config';
import { commonEnv, databaseEnv, parseConfig, peerUrlsEnv, portEnv, temporalEnv } from '../shared/config';

export const conversationEnv = {
  ...commonEnv,
  ...databaseEnv,
  ...portEnv('conversation'),
  KNOWLEDGE_URL: peerUrlsEnv.KNOWLEDGE_URL,
  ACCOUNT_CONTEXT_URL: peerUrlsEnv.ACCOUNT_CONTEXT_URL,
  ...answeringEnv,
  MAX_QUESTION_BYTES: z.coerce.number().int().min(16).max(1_000_000).default(4096),
  /**
   * Asks this process works on at once; the excess is refused with UNAVAILABLE and a retry-after, before anything
   * is written. An ask holds one of the database pool's 10 connections for only part of its time (the rest is
   * knowledge, account-context and the answer writer), so twice the pool keeps Postgres busy; beyond that asks
   * only wait (issue 16, measured here: 12.5 asks/s at 16 in flight, 11.4 at 64, p99 2.4 s then 11.3 s). Raise it when a
   * language model writes the answers: an ask then spends seconds waiting on the model, not on this process.
   */
  MAX_CONCURRENT_ASKS: z.coerce.number().int().min(1).max(10_000).default(20),
  /**
   * Below that ceiling the bound in force is learned (shared/latency-limit.ts): it keeps the mean time of an ask
   * within this multiple of its time when nothing queues, so an overloaded process refuses the excess instead of
   * making every accepted ask wait. 0: no learning, the ceiling is the bound.
   */
  ASK_LATENCY_TOLERANCE: z.coerce
    .number()
    .refine((value) => value === 0 || (value > 1 && value <= 100), 'must be 0 (off) or a multiple above 1, at most 100')
    .default(2),
  /**
   * How long an asker's context (account-context's questionContext: plan, billing state, open bugs) is kept in this
   * process; 0 asks account-context on every ask. A change in account-context evicts its workspace's contexts when it
   * commits (NOTIFY, heard over a connection of DATABASE_URL), so this bounds only what a missed notification costs.
   */
  ASKER_CONTEXT_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** An AI answer with no rating, resolution or follow-up this long after it is a drop-off (workspaces may set their own). */
  DROP_OFF_WINDOW_MS: z.coerce.number().int().min(1_000).default(30 * 60_000),
  /** How often the drop-off sweep looks for answers whose window has passed. */
  DROP_OFF_SWEEP_MS: z.coerce.number().int().min(50).default(30_000),
  REPEAT_CONTACT_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(72),
  /** How long a client's idempotency key is remembered (see idempotency/idempotency-keys.ts). */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  ...temporalEnv,
  /** false: no escalation workflows (hand-offs still land in the inbox; corrections apply directly). */
  ESCALATIONS_ENABLED: z.enum(['true', 'false']).transform((v) => v === 'true').default(true),
  ESCALATION_FIRST_RESPONSE_MS: z.coerce.number().int().min(100).default(4 * 3_600_000),
  ESCALATION_RESOLUTION_MS: z.coerce.number().int().min(100).default(24 * 3_600_000),
  ESCALATION_REMINDER_BEFORE_MS: z.coerce.number().int().min(0).default(30 * 60_000),
  ESCALATION_REOPEN_WINDOW_MS: z.coerce.number().int().min(0).default(7 * 24 * 3_600_000),
};

export type ConversationConfig = ReturnType<typeof loadConversationConfig>;

export function loadConversationConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(conversationEnv, env);
}
