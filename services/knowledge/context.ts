/** Knowledge's per-request context: the verified caller and request-scoped loaders. */
import type DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { loaderById } from '../shared/loaders';
import type { RequestContext } from '../shared/request-context';
import type { SubgraphContext } from '../shared/subgraph-context';
import { KnowledgeItemEntity } from './knowledge-item/knowledge-item.entity';

export interface KnowledgeContext extends SubgraphContext {
  items: DataLoader<string, KnowledgeItemEntity | null>;
}

export function createRequestContext(db: DataSource, auth: RequestContext): KnowledgeContext {
  return {
    auth,
    items: loaderById((ids) => db.getRepository(KnowledgeItemEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
  };
}
