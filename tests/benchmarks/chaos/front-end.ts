/**
 * A front-end that follows the README's retry rules (Reliability → How a front-end should retry): every write
 * carries a fresh idempotency key; UNAVAILABLE (HTTP 503) and "no response at all" are retried with the same key,
 * first after `retryAfterSeconds` (2 s without a response), then with full-jitter exponential backoff (a random
 * wait up to 2, 4, 8 … s, capped at 30 s), giving up after about a minute; INTERNAL_SERVER_ERROR is retried once;
 * any other error is final. Every attempt is logged with what the client saw, for the chaos report.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** What one HTTP attempt came back with: `ok`, a GraphQL extensions.code, or `NO_RESPONSE`. */
export type Seen = 'ok' | 'NO_RESPONSE' | string;

export interface Attempt {
  /** Epoch ms when the attempt was sent and when its answer (or failure) arrived. */
  sentAt: number;
  doneAt: number;
  seen: Seen;
  httpStatus: number | null;
  /** The first error's message (or the client-side failure), when it was not a success. */
  message?: string;
}

export type WriteKind = 'ask' | 'rateAnswer' | 'requestHuman' | 'correctAnswer' | 'probeAsk';

export interface Write<T = any> {
  kind: WriteKind;
  idempotencyKey: string;
  /** What identifies the write in storage (the question text, the rated message id, …), set by the caller. */
  ref: string;
  attempts: Attempt[];
  /** acknowledged: a success came back; refused: a final error; gaveUp: still failing after the retry budget. */
  outcome: 'acknowledged' | 'refused' | 'gaveUp';
  data?: T;
  finalCode?: string;
}

export interface FrontEndOptions {
  gatewayUrl: string;
  /** A client-side timeout per attempt; a timeout counts as no response. */
  attemptTimeoutMs: number;
  /** Stop retrying once this long has passed since the first attempt. */
  giveUpAfterMs: number;
  /** Single attempts only (the recovery probe): no retries. */
  retries?: boolean;
}

const NO_RESPONSE_WAIT_S = 2;
const BACKOFF_CAP_S = 30;

async function attemptOnce(options: FrontEndOptions, apiKey: string, query: string, variables: Record<string, unknown>): Promise<{ attempt: Attempt; data?: any; retryAfterSeconds?: number }> {
  const sentAt = Date.now();
  try {
    const response = await fetch(options.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.attemptTimeoutMs),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message?: string; extensions?: { code?: string; details?: { retryAfterSeconds?: number } } }> };
    const error = body.errors?.[0];
    const header = Number(response.headers.get('retry-after'));
    const retryAfterSeconds = error?.extensions?.details?.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : undefined);
    const seen = error ? (error.extensions?.code ?? 'NO_CODE') : 'ok';
    return { attempt: { sentAt, doneAt: Date.now(), seen, httpStatus: response.status, message: error?.message }, data: body.data, retryAfterSeconds };
  } catch (error) {
    // Connection refused or reset, a body that is not JSON, or our own timeout: the client got no answer.
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { attempt: { sentAt, doneAt: Date.now(), seen: 'NO_RESPONSE', httpStatus: null, message: cause ?? (error as Error).name } };
  }
}

/** Sends one write as a careful front-end would, retrying with the same key until it is acknowledged or final. */
export async function sendWrite<T>(
  options: FrontEndOptions,
  kind: WriteKind,
  ref: string,
  apiKey: string,
  query: string,
  input: Record<string, unknown>,
): Promise<Write<T>> {
  const idempotencyKey = randomUUID();
  const write: Write<T> = { kind, idempotencyKey, ref, attempts: [], outcome: 'gaveUp' };
  const started = Date.now();
  let internalErrors = 0;
  for (let retry = 0; ; retry++) {
    const { attempt, data, retryAfterSeconds } = await attemptOnce(options, apiKey, query, { input: { ...input, idempotencyKey } });
    write.attempts.push(attempt);
    if (attempt.seen === 'ok') {
      write.outcome = 'acknowledged';
      write.data = data as T;
      return write;
    }
    write.finalCode = attempt.seen;
    const retryable = attempt.seen === 'UNAVAILABLE' || attempt.seen === 'NO_RESPONSE' || (attempt.seen === 'INTERNAL_SERVER_ERROR' && internalErrors++ === 0);
    if (!retryable) {
      write.outcome = 'refused';
      return write;
    }
    if (options.retries === false || Date.now() - started > options.giveUpAfterMs) return write;
    const waitS = retry === 0 ? (retryAfterSeconds ?? NO_RESPONSE_WAIT_S) : Math.random() * Math.min(BACKOFF_CAP_S, 2 ** retry);
    await sleep(waitS * 1000);
  }
}
