/** The Workspace entity as insights sees it, and the guard every insights field on it shares. */
import { forbidden } from '../../shared/errors';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { Workspace } from './workspace.types';

/** Insights of a workspace are visible to its own keys only (the gateway resolves `workspace` to the caller's). */
export function ownWorkspace(workspace: Workspace, ctx: SubgraphContext): void {
  if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
}

/** Like other subgraphs' workspace stubs, plus the time zone the gateway supplies for @requires fields. */
export const insightsWorkspaceReference = {
  __resolveReference(reference: { id: string; timeZone?: string }, ctx: SubgraphContext): Workspace | null {
    return reference.id === ctx.auth.workspaceId ? { id: reference.id, timeZone: reference.timeZone ?? 'UTC' } : null;
  },
};
