/**
 * The agents' knowledge search: list (newest change first) or full-text search (best match first) over articles and
 * learned answers of every status, with kind, topic, status, stale and locale filters and keyset cursors.
 */
import { DataSource, In } from 'typeorm';
import { badInput } from '../../shared/errors';
import { cursorPart, keysetCursor, pageOf } from '../../shared/keyset-cursor';
import { KnowledgeItemEntity } from '../knowledge-item/knowledge-item.entity';
import { LIST_KNOWLEDGE_SQL, SEARCH_KNOWLEDGE_SQL } from './knowledge-search.queries';

export interface KnowledgeFilter {
  query?: string;
  kind?: string;
  topic?: string;
  status?: string;
  stale?: boolean;
  locale?: string;
}

export interface KnowledgeHit {
  item: KnowledgeItemEntity;
  cursor: string;
  score: number | null;
  matchedQuestion: string | null;
}

export interface KnowledgePage {
  hits: KnowledgeHit[];
  hasNextPage: boolean;
}

/**
 * A cursor names the mode it was made in, so one from a list cannot page a search (or another query's search).
 * A list ends at its last row's (updated_at as text, id), a search at its last row's (score, id).
 */
const REFUSAL = 'after must be an endCursor returned by this API for the same kind of request';
const listCursor = keysetCursor([cursorPart.literal('l'), cursorPart.timestamp, cursorPart.uuid], `${REFUSAL} (a list without query)`);
const searchCursor = keysetCursor([cursorPart.literal('s'), cursorPart.finiteNumber, cursorPart.uuid], `${REFUSAL} (a search with query)`);

export class KnowledgeSearchService {
  constructor(private readonly db: DataSource) {}

  async search(workspaceId: string, filter: KnowledgeFilter, first: number, after?: string): Promise<KnowledgePage> {
    const query = filter.query?.trim();
    const filters = [workspaceId, filter.kind ?? null, filter.topic?.trim() ?? null, filter.status ?? null, filter.stale ?? null, filter.locale ?? null];
    let rows: Array<{ id: string; sortKey?: string; score?: number; matchedQuestion?: string | null }>;
    let cursorOf: (row: (typeof rows)[number]) => string;
    if (query) {
      const [, score, id] = after === undefined ? [] : searchCursor.decode(after);
      rows = await this.db.query(SEARCH_KNOWLEDGE_SQL, [...filters, query, score ?? null, id ?? null, first + 1]);
      cursorOf = (row) => searchCursor.encode(['s', Number(row.score), row.id]);
    } else {
      if (filter.query !== undefined) throw badInput('query must contain a word; omit it to list');
      const [, at, id] = after === undefined ? [] : listCursor.decode(after);
      rows = await this.db.query(LIST_KNOWLEDGE_SQL, [...filters, at ?? null, id ?? null, first + 1]);
      cursorOf = (row) => listCursor.encode(['l', row.sortKey!, row.id]);
    }
    const page = pageOf(rows, first);
    const items = new Map((await this.loadItems(workspaceId, page.rows.map((row) => row.id))).map((item) => [item.id, item]));
    const hits = page.rows.flatMap((row) => {
      const item = items.get(row.id);
      if (!item) return [];
      return [{ item, cursor: cursorOf(row), score: row.score === undefined ? null : Number(row.score), matchedQuestion: row.matchedQuestion ?? null }];
    });
    return { hits, hasNextPage: page.hasNextPage };
  }

  private loadItems(workspaceId: string, ids: string[]): Promise<KnowledgeItemEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.db.getRepository(KnowledgeItemEntity).findBy({ id: In(ids), workspaceId });
  }
}
