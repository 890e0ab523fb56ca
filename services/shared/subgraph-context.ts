/** What every subgraph resolver receives: the verified request context plus the service's own per-request state. */
import type { RequestContext } from './request-context';

export interface SubgraphContext {
  auth: RequestContext;
}
