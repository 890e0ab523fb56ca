/**
 * Sends each subgraph request with the caller's context, signed with the internal HMAC secret, within a
 * timeout. A subgraph that cannot be reached, does not answer in time or answers without a GraphQL body is
 * reported as UNAVAILABLE (what a front-end retries), never as an internal error.
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
    const status = (error as GraphQLError).extensions?.response as { status?: number } | undefined;
    // A subgraph's 401/403 is its verdict on the signed context, not an outage.
    if (status?.status === 401 || status?.status === 403) throw error;
    this.onUnavailable(this.serviceName, error);
    throw subgraphUnavailable(this.serviceName);
  }
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
