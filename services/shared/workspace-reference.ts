/**
 * Reference resolver for subgraphs that add fields to Workspace but do not own it: a workspace resolves
 * only for callers inside it, so entity lookups can never cross workspaces.
 */
import type { SubgraphContext } from './subgraph-context';

export const workspaceStubReference = {
  __resolveReference(reference: { id: string }, ctx: SubgraphContext): { id: string } | null {
    return reference.id === ctx.auth.workspaceId ? { id: reference.id } : null;
  },
};
