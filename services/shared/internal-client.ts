/**
 * A small GraphQL client for service-to-service calls over a peer's internal endpoint. It signs the request
 * context it acts under and forwards the correlation id; a peer's typed error comes back as a DomainError.
 * Every call has a timeout; an idempotent call whose peer cannot be reached is retried with jitter, and what
 * still fails is UNAVAILABLE.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { DomainError, ErrorCode, unavailable } from './errors';
import { httpFetcher } from './http-fetcher';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, RequestContext, currentRequestId, newRequestId, signContext } from './request-context';

export type CallerContext = Omit<RequestContext, 'issuedAt' | 'requestId'> & { requestId?: string };

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export interface RequestOptions {
  /**
   * Safe to send twice: a query, or a mutation the peer deduplicates (an upsert, an idempotency key). Only these are
   * retried when the peer cannot be reached. Default: true for a query, false for a mutation.
   */
  idempotent?: boolean;
}

/** Retries of an idempotent call whose peer could not be reached, with full jitter: a wait in [0, BASE * 2^n). */
const RETRIES = 2;
const RETRY_BASE_MS = 150;

/** The peer never got (or never finished) the request: safe to send an idempotent one again. */
class Unreached extends Error {}

export class InternalGraphQLClient {
  /** Keep-alive connections to the peer, reused call after call (the client lives as long as its process). */
  private readonly fetch: Fetcher;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.fetch = httpFetcher(timeoutMs);
  }

  async request<T>(query: string, variables: Record<string, unknown>, caller: CallerContext, options: RequestOptions = {}): Promise<T> {
    const requestId = caller.requestId ?? currentRequestId() ?? newRequestId();
    const idempotent = options.idempotent ?? /^\s*(query\b|\{)/.test(query);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.send<T>(query, variables, caller, requestId);
      } catch (error) {
        if (!(error instanceof Unreached)) throw error;
        if (!idempotent || attempt >= RETRIES) throw unavailable(error.message);
        await sleep(Math.random() * RETRY_BASE_MS * 2 ** attempt);
      }
    }
  }

  private async send<T>(query: string, variables: Record<string, unknown>, caller: CallerContext, requestId: string): Promise<T> {
    let response: FetcherResponse;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CONTEXT_HEADER]: signContext({ ...caller, requestId }, this.secret),
          [REQUEST_ID_HEADER]: requestId,
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const name = (error as Error).name;
      // A timeout has spent the caller's budget already: reported, not retried.
      if (name === 'TimeoutError') throw unavailable(`A peer service did not answer within ${this.timeoutMs} ms`);
      throw new Unreached(`A peer service did not answer (${(error as NodeJS.ErrnoException).code ?? name})`);
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw new Unreached(`A peer service answered with HTTP ${response.status} and no GraphQL body`);
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      if (code && KNOWN_CODES.has(code)) throw new DomainError(code as ErrorCode, first.message);
      throw unavailable('A peer service failed to answer');
    }
    if (!body.data) throw unavailable('A peer service returned no data');
    return body.data;
  }
}
