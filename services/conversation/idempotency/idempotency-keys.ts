/**
 * Idempotent client writes. A client may send an idempotency key with a write (ask, a customer signal, an agent
 * action). The first attempt records the key and what it returned in the same transaction as the write, so a
 * retry — after a timeout, a lost response, a process killed mid-request — gets that result back and writes
 * nothing new; if the first attempt never committed, the retry simply does the write.
 *
 * Scope: one workspace and one caller (the API key, or the verified customer, acting). Lifetime: `lifetimeHours`
 * from the first attempt (IDEMPOTENCY_KEY_TTL_HOURS); after that the key is forgotten and may be used again.
 * The same key with a different request is refused (BAD_USER_INPUT): it is a client bug, not a retry.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../shared/errors';
import type { RequestContext } from '../../shared/request-context';
import { rowsOf } from '../../shared/sql-rows';

export interface IdempotentRequest {
  workspaceId: string;
  caller: string;
  key: string;
  operation: string;
  requestHash: Buffer;
}

/** Records the key and the result to replay, inside the write's own transaction (call it last there). */
export type Remember<S> = (tx: EntityManager, result: S) => Promise<void>;

/** Letters, digits and `_ . : -`, 8 to 128 of them; a random UUID per write is the intended use. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Thrown inside a transaction whose key a concurrent attempt committed first: the transaction rolls back. */
class KeyTakenMeanwhile extends Error {}

/** Object keys sorted at every level, undefined dropped: the same request always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
        .map((name) => [name, canonical((value as Record<string, unknown>)[name])]),
    );
  }
  return value;
}

/** The request a key guards; null when the client sent no key (the write then runs as before). */
export function idempotentRequest(auth: RequestContext, operation: string, key: string | null | undefined, payload: unknown): IdempotentRequest | null {
  if (key === null || key === undefined) return null;
  return {
    workspaceId: auth.workspaceId,
    caller: `${auth.role}:${auth.subject}`,
    key,
    operation,
    requestHash: createHash('sha256').update(JSON.stringify(canonical({ operation, payload }))).digest(),
  };
}

export class IdempotencyKeys {
  constructor(
    private readonly db: DataSource,
    private readonly lifetimeHours: number,
  ) {}

  /**
   * Runs `run` once per key: `run` receives the `remember` to call inside its transaction. A key already
   * recorded (now, or by a concurrent attempt that committed first) replays its stored result instead.
   */
  async once<R, S>(request: IdempotentRequest | null, run: (remember: Remember<S>) => Promise<R>, replay: (stored: S) => Promise<R>): Promise<R> {
    if (!request) return run(async () => undefined);
    const earlier = await this.lookup<S>(request);
    if (earlier !== undefined) return replay(earlier);
    try {
      return await run((tx, result) => this.remember(tx, request, result));
    } catch (error) {
      if (!(error instanceof KeyTakenMeanwhile)) throw error;
      const winner = await this.lookup<S>(request);
      if (winner === undefined) throw error;
      return replay(winner);
    }
  }

  /** Forgets keys past their lifetime; returns how many. */
  async prune(): Promise<number> {
    const deleted = await this.db.query(`DELETE FROM conversation.idempotency_keys WHERE created_at < now() - make_interval(hours => $1) RETURNING 1`, [this.lifetimeHours]);
    return rowsOf(deleted).length;
  }

  private async lookup<S>(request: IdempotentRequest): Promise<S | undefined> {
    const rows = rowsOf<{ operation: string; request_hash: Buffer; result: S }>(
      await this.db.query(
        `SELECT operation, request_hash, result FROM conversation.idempotency_keys
          WHERE workspace_id = $1 AND caller = $2 AND key = $3 AND created_at >= now() - make_interval(hours => $4)`,
        [request.workspaceId, request.caller, request.key, this.lifetimeHours],
      ),
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.operation !== request.operation || !row.request_hash.equals(request.requestHash)) {
      throw badInput(
        `This idempotency key was already used for a different request (${row.operation}); send a new key for a new write, the same request to retry`,
      );
    }
    return row.result;
  }

  private async remember<S>(tx: EntityManager, request: IdempotentRequest, result: S): Promise<void> {
    // A key past its lifetime is taken over; a live one (a concurrent attempt committed it first) is not.
    const inserted = await tx.query(
      `INSERT INTO conversation.idempotency_keys (workspace_id, caller, key, operation, request_hash, result)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, caller, key) DO UPDATE
         SET operation = EXCLUDED.operation, request_hash = EXCLUDED.request_hash, result = EXCLUDED.result, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $7)
       RETURNING 1`,
      [request.workspaceId, request.caller, request.key, request.operation, request.requestHash, JSON.stringify(result), this.lifetimeHours],
    );
    if (rowsOf(inserted).length === 0) throw new KeyTakenMeanwhile(`idempotency key ${request.key} was recorded by a concurrent attempt`);
  }
}
