/** Conversation's per-request context: the verified caller. */
import type { RequestContext } from '../shared/request-context';
import type { SubgraphContext } from '../shared/subgraph-context';

export type ConversationContext = SubgraphContext;

export function createRequestContext(_db: unknown, auth: RequestContext): ConversationContext {
  return { auth };
}
