/**
 * The agents' knowledge search: list (newest change first) or full-text search (best match first) over articles and
 * learned answers of every status, with kind, topic, status, stale and locale filters and keyset cursors.
 */
import { DataSource, In } from 'typeorm';
import { badInput } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
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

/** A cursor names the mode it was made in, so one from a list cannot page a search (or another query's search). */
type Cursor = { mode: 'list'; at: string; id: string } | { mode: 'search'; score: number; id: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor.mode === 'list' ? ['l', cursor.at, cursor.id] : ['s', cursor.score, cursor.id])).toString('base64url');
}

function decodeCursor(value: string, mode: Cursor['mode']): Cursor {
  const refuse = () => badInput(`after must be an endCursor returned by this API for the same kind of request (${mode === 'list' ? 'a list without query' : 'a search with query'})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'string' || !isUuid(parsed[2])) throw refuse();
  const [tag, key, id] = parsed as [unknown, unknown, string];
  if (mode === 'list' && tag === 'l' && typeof key === 'string' && !Number.isNaN(Date.parse(key))) return { mode, at: key, id };
  if (mode === 'search' && tag === 's' && typeof key === 'number' && Number.isFinite(key)) return { mode, score: key, id };
  throw refuse();
}

export class KnowledgeSearchService {
  constructor(private readonly db: DataSource) {}

  async search(workspaceId: string, filter: KnowledgeFilter, first: number, after?: string): Promise<KnowledgePage> {
    const query = filter.query?.trim();
    const filters = [workspaceId, filter.kind ?? null, filter.topic?.trim() ?? null, filter.status ?? null, filter.stale ?? null, filter.locale ?? null];
    let rows: Array<{ id: string; sortKey?: string; score?: number; matchedQuestion?: string | null }>;
    let cursorOf: (row: (typeof rows)[number]) => Cursor;
    if (query) {
      const cursor = after === undefined ? null : (decodeCursor(after, 'search') as Extract<Cursor, { mode: 'search' }>);
      rows = await this.db.query(SEARCH_KNOWLEDGE_SQL, [...filters, query, cursor?.score ?? null, cursor?.id ?? null, first + 1]);
      cursorOf = (row) => ({ mode: 'search', score: Number(row.score), id: row.id });
    } else {
      if (filter.query !== undefined) throw badInput('query must contain a word; omit it to list');
      const cursor = after === undefined ? null : (decodeCursor(after, 'list') as Extract<Cursor, { mode: 'list' }>);
      rows = await this.db.query(LIST_KNOWLEDGE_SQL, [...filters, cursor?.at ?? null, cursor?.id ?? null, first + 1]);
      cursorOf = (row) => ({ mode: 'list', at: row.sortKey!, id: row.id });
    }
    const page = rows.slice(0, first);
    const items = new Map((await this.loadItems(workspaceId, page.map((row) => row.id))).map((item) => [item.id, item]));
    const hits = page.flatMap((row) => {
      const item = items.get(row.id);
      if (!item) return [];
      return [{ item, cursor: encodeCursor(cursorOf(row)), score: row.score === undefined ? null : Number(row.score), matchedQuestion: row.matchedQuestion ?? null }];
    });
    return { hits, hasNextPage: rows.length > first };
  }

  private loadItems(workspaceId: string, ids: string[]): Promise<KnowledgeItemEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.db.getRepository(KnowledgeItemEntity).findBy({ id: In(ids), workspaceId });
  }
}
