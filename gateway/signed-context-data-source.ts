/**
 * Sends each subgraph request with the caller's context, signed with the internal HMAC secret, within a
 * timeout. A subgraph that cannot be reached, does not answer in time or answers without a GraphQL body is
 * reported as UNAVAILABLE (what a front-end retries), never as an internal error; one that refuses the request's
 * values (HTTP 400) as BAD_USER_INPUT with its message.
 */
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../services/shared/errors';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, signContext } from '../services/shared/request-context';
import type { Caller } from './authenticator';
import { httpFetcher } from '../services/shared/http-fetcher';
import type { ClientIdentity } from './rate-limiter';

export interface GatewayContext {
  caller: Caller;
  client: ClientIdentity;
  requestId: string;
}

export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
    private readonly serviceName: string,
    timeoutMs: number,
    private readonly onUnavailable: (serviceName: string, cause: Error) => void = () => undefined,
  ) {
    super({ url });
    // Not the data source's default fetcher: see services/shared/http-fetcher.ts for what each request cost with it.
    this.fetcher = httpFetcher(timeoutMs);
    // Nothing here caches responses (Apollo Server's cache-control plugin is off), so skip reading the header.
    this.honorSubgraphCacheControlHeader = false;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Query planning and health checks have no incoming request; they carry no caller.
    if (!('caller' in context) || !context.caller) return;
    request.http?.headers.set(CONTEXT_HEADER, signContext({ ...context.caller, requestId: context.requestId }, this.secret));
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  override didEncounterError(error: Error): void {
    const response = (error as GraphQLError).extensions?.response as { status?: number; body?: unknown } | undefined;
    // A subgraph's 401/403 is its verdict on the signed context, not an outage.
    if (response?.status === 401 || response?.status === 403) throw error;
    // A 400 whose errors are all about the request's values (a literal or variable its scalars refuse, such as a
    // date that is not one: the gateway cannot check a subgraph's custom scalars) is the caller's to fix. Reported
    // as an outage, a front-end following the retry advice would send the same bad value for ever.
    const refused = response?.status === 400 ? refusedInput(response.body) : undefined;
    if (refused) throw refused;
    this.onUnavailable(this.serviceName, error);
    throw subgraphUnavailable(this.serviceName);
  }
}

/** The codes a subgraph answers for a request it refuses for its values; anything else on a 400 is not the caller's doing. */
const INPUT_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);

/** BAD_USER_INPUT with the subgraph's first message, when every error of a 400's body is about the input. */
function refusedInput(body: unknown): GraphQLError | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const all = errors as Array<{ message?: unknown; extensions?: { code?: unknown } }>;
  if (!all.every((e) => typeof e?.message === 'string' && INPUT_CODES.has(String(e.extensions?.code)))) return undefined;
  return new GraphQLError(all[0]!.message as string, { extensions: { code: ErrorCode.BadUserInput } });
}

/**
 * The error a client sees for a subgraph it cannot get an answer from. `details.service` names the part of the
 * operation that is missing; the cause goes to the gateway's log (onUnavailable), not to the client.
 */
function subgraphUnavailable(serviceName: string): GraphQLError {
  return new GraphQLError(`The ${serviceName} service is unavailable right now; retry in a moment`, {
    extensions: { code: ErrorCode.Unavailable, details: { service: serviceName } },
  });
}
