/**
 * Makes an outage say what it is. Every UNAVAILABLE error gets `extensions.details.retryAfterSeconds` and the
 * response a Retry-After header; a response with no data at all (the whole operation failed for want of a
 * service) is HTTP 503. A response that still carries data from the services that answered keeps HTTP 200:
 * its errors name the part that is missing. A subgraph that sheds load says itself how long to wait (its
 * `retryAfterSeconds`); that hint is kept, and the header carries the longest wait among the errors.
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
      let longest = 0;
      result.errors = result.errors.map((error) => {
        if (!isUnavailable(error)) return error;
        const details = error.extensions?.details as { retryAfterSeconds?: unknown } | undefined;
        const wait = typeof details?.retryAfterSeconds === 'number' && details.retryAfterSeconds >= 1 ? details.retryAfterSeconds : retryAfterSeconds;
        longest = Math.max(longest, wait);
        return { ...error, extensions: { ...error.extensions, details: { ...details, retryAfterSeconds: wait } } };
      });
      response.http.headers.set('retry-after', String(longest));
      if (!hasData(result.data)) response.http.status = 503;
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
