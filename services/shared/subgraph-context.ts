/** What every subgraph resolver receives: the verified request context plus the service's own per-request state. */
import type { RequestContext } from './request-context';

export interface SubgraphContext {
  auth: RequestContext;
}

/** Narrows a context to a workspace-bound caller: every read and write is scoped by this id. */
export function workspaceOf(context: SubgraphContext): string {
  return context.auth.workspaceId;
}
