/** Articles and their passages, and retrieval over those passages. */
import { DataSource, Repository } from 'typeorm';
import { notFound } from '../../shared/errors';
import { KnowledgeItemEntity } from './knowledge-item.entity';
import { PassageEntity } from './passage.entity';
import { splitIntoPassages } from './passage-splitter';

export interface ArticleFields {
  title: string;
  body: string;
  topic?: string;
  tags?: string[];
}

export interface FoundPassage {
  passageId: string;
  knowledgeItemId: string;
  itemVersion: number;
  title: string;
  text: string;
  topic: string;
  score: number;
}

/**
 * Full-text rank (OR over the question's lexemes, normalised by length) blended with trigram similarity, so
 * both shared words and near-spellings count. Only published items of the caller's workspace are searched.
 */
const RETRIEVE_SQL = `
  WITH q AS (
    SELECT to_tsquery('english', coalesce(nullif(
             (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme),
             ''), quote_literal(''))) AS query
  )
  SELECT p.id AS "passageId", p.item_id AS "knowledgeItemId", p.item_version AS "itemVersion", i.title, p.text, i.topic,
         (0.7 * ts_rank_cd(p.search_vector, q.query, 1 | 32) * 2 + 0.3 * public.similarity(p.text, $2))::float8 AS score
    FROM knowledge.passages p
    JOIN knowledge.knowledge_items i ON i.id = p.item_id AND i.version = p.item_version
    CROSS JOIN q
   WHERE p.workspace_id = $1
     AND i.workspace_id = $1
     AND i.status = 'published'
     AND (p.search_vector @@ q.query OR p.text OPERATOR(public.%) $2)
   ORDER BY score DESC
   LIMIT $3`;

export class KnowledgeItemService {
  private readonly items: Repository<KnowledgeItemEntity>;

  constructor(private readonly db: DataSource) {
    this.items = db.getRepository(KnowledgeItemEntity);
  }

  async createArticle(workspaceId: string, fields: ArticleFields): Promise<KnowledgeItemEntity> {
    return this.db.transaction(async (tx) => {
      const item = await tx.getRepository(KnowledgeItemEntity).save({
        workspaceId,
        kind: 'article' as const,
        status: 'published' as const,
        title: fields.title.trim(),
        body: fields.body,
        topic: fields.topic?.trim() ?? '',
        tags: fields.tags ?? [],
        version: 1,
      });
      const passages = splitIntoPassages(item.title, item.body).map((text, ordinal) => ({
        workspaceId,
        itemId: item.id,
        itemVersion: item.version,
        ordinal,
        text,
      }));
      await tx.getRepository(PassageEntity).insert(passages);
      return item;
    });
  }

  async getItem(workspaceId: string, id: string): Promise<KnowledgeItemEntity> {
    const item = await this.items.findOneBy({ id, workspaceId });
    if (!item) throw notFound('Knowledge item', id);
    return item;
  }

  async countItems(workspaceId: string): Promise<number> {
    return this.items.countBy({ workspaceId });
  }

  async retrieve(workspaceId: string, text: string, limit = 5): Promise<FoundPassage[]> {
    const rows: FoundPassage[] = await this.db.query(RETRIEVE_SQL, [workspaceId, text, limit]);
    return rows.map((row) => ({ ...row, score: Math.min(1, Number(row.score)) }));
  }
}
