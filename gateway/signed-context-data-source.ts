/** Sends each subgraph request with the caller's context, signed with the internal HMAC secret. */
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, signContext } from '../services/shared/request-context';
import type { Caller } from './authenticator';
import type { ClientIdentity } from './rate-limiter';

export interface GatewayContext {
  caller: Caller;
  client: ClientIdentity;
  requestId: string;
}

export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly secret: string) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Query planning and health checks have no incoming request; they carry no caller.
    if (!('caller' in context) || !context.caller) return;
    request.http?.headers.set(CONTEXT_HEADER, signContext({ ...context.caller, requestId: context.requestId }, this.secret));
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}
