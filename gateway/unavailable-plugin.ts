/**
 * Makes an outage say what it is. Every UNAVAILABLE error gets `extensions.details.retryAfterSeconds` and the
 * response a Retry-After header; a response with no data at all (the whole operation failed for want of a
 * service) is HTTP 503. A response that still carries data from the services that answered keeps HTTP 200:
 * its errors name the part that is missing.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../services/shared/errors';
import type { GatewayContext } from './signed-context-data-source';

const isUnavailable = (error: GraphQLFormattedError) => error.extensions?.code === ErrorCode.Unavailable;

const hasData = (data: Record<string, unknown> | null | undefined) => !!data && Object.values(data).some((value) => value !== null && value !== undefined);

export function unavailablePlugin(retryAfterSeconds: number): ApolloServerPlugin<GatewayContext> {
  const listener: GraphQLRequestListener<GatewayContext> = {
    async willSendResponse({ response }) {
      if (response.body.kind !== 'single') return;
      const result = response.body.singleResult;
      if (!result.errors?.some(isUnavailable)) return;
      result.errors = result.errors.map((error) =>
        isUnavailable(error) ? { ...error, extensions: { ...error.extensions, details: { ...(error.extensions?.details as object | undefined), retryAfterSeconds } } } : error,
      );
      response.http.headers.set('retry-after', String(retryAfterSeconds));
      if (!hasData(result.data)) response.http.status = 503;
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
