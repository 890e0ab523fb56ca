/** Articles: publish, edit (each edit a new version), archive, import; and the passages retrieval reads. */
import { DataSource, EntityManager, Repository } from 'typeorm';
import { badInput, conflict, notFound } from '../../shared/errors';
import { uniqueViolation } from '../../shared/unique-violation';
import { recordEvents } from '../../shared/outbox';
import { KnowledgeItemEntity } from './knowledge-item.entity';
import { PassageEntity } from './passage.entity';
import { DEFAULT_LOCALE } from './locale';
import { splitIntoPassages } from './passage-splitter';
import { flagLearnedAnswersOf } from './stale-learned-answers';
import { STAMP_PASSAGE_REVISION_SQL } from '../retrieval/passage-index.queries';

export interface ArticleFields {
  title: string;
  body: string;
  topic?: string;
  tags?: string[];
  locale?: string;
  audiencePlans?: string[];
  audienceSegments?: string[];
  externalKey?: string;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  items: KnowledgeItemEntity[];
}

const MAX_IMPORT = 1_000;

/** Term statistics follow the passages they count; lexemes are locked in order so concurrent writers cannot deadlock. */
async function countLexemes(tx: EntityManager, item: KnowledgeItemEntity, sign: 1 | -1): Promise<void> {
  await tx.query(
    `INSERT INTO knowledge.lexeme_stats (workspace_id, lexeme, passages)
     SELECT $2, lexeme, $3 * count(*) FROM knowledge.passages p, unnest(tsvector_to_array(p.search_vector)) AS lexeme
      WHERE p.item_id = $1 GROUP BY lexeme ORDER BY lexeme
     ON CONFLICT (workspace_id, lexeme) DO UPDATE SET passages = knowledge.lexeme_stats.passages + EXCLUDED.passages`,
    [item.id, item.workspaceId, sign],
  );
  await tx.query(
    `INSERT INTO knowledge.passage_totals (workspace_id, passages, lexemes)
     SELECT $2, $3 * count(*), $3 * coalesce(sum(length(search_vector)), 0) FROM knowledge.passages WHERE item_id = $1
     ON CONFLICT (workspace_id) DO UPDATE
       SET passages = knowledge.passage_totals.passages + EXCLUDED.passages, lexemes = knowledge.passage_totals.lexemes + EXCLUDED.lexemes`,
    [item.id, item.workspaceId, sign],
  );
}

/** Writes the passages of an item's current version, replacing those of earlier versions. */
export async function writePassages(tx: EntityManager, item: KnowledgeItemEntity): Promise<void> {
  await countLexemes(tx, item, -1);
  await tx.getRepository(PassageEntity).delete({ itemId: item.id });
  const passages = splitIntoPassages(item.title, item.body).map((text, ordinal) => ({
    workspaceId: item.workspaceId,
    itemId: item.id,
    itemVersion: item.version,
    itemKind: item.kind,
    ordinal,
    text,
  }));
  await tx.getRepository(PassageEntity).insert(passages);
  await countLexemes(tx, item, 1);
  await tx.query(STAMP_PASSAGE_REVISION_SQL, [item.id, item.workspaceId]);
}

export async function recordVersion(tx: EntityManager, item: KnowledgeItemEntity, author: string): Promise<void> {
  await tx.query(
    `INSERT INTO knowledge.item_versions (item_id, version, workspace_id, title, body, author) VALUES ($1, $2, $3, $4, $5, $6)`,
    [item.id, item.version, item.workspaceId, item.title, item.body, author],
  );
}

/**
 * A write that lost the workspace's external key to another (an article created with a key in use, or two imports
 * adding the same new key at once) is a CONFLICT, not an internal error.
 */
async function externalKeyTaken<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (uniqueViolation(error) === 'knowledge_items_external_key') {
      throw conflict('Another article of this workspace has this externalKey: import the article to update it, or choose another key');
    }
    throw error;
  }
}

export class KnowledgeItemService {
  private readonly items: Repository<KnowledgeItemEntity>;

  /** `changed` hears of each committed change to a workspace's articles (its intent model catches up before the next question). */
  constructor(
    private readonly db: DataSource,
    private readonly changed?: (workspaceId: string) => void,
  ) {
    this.items = db.getRepository(KnowledgeItemEntity);
  }

  async createArticle(workspaceId: string, fields: ArticleFields, author: string): Promise<KnowledgeItemEntity> {
    return this.committed(workspaceId, externalKeyTaken(this.db.transaction((tx) => this.insertArticle(tx, workspaceId, fields, author))));
  }

  /** Every edit is a new version; an edit also settles the item's staleness (someone looked at it). */
  async updateArticle(workspaceId: string, id: string, fields: Partial<ArticleFields>, author: string): Promise<KnowledgeItemEntity> {
    const edit = this.db.transaction(async (tx) => {
      const item = await tx.getRepository(KnowledgeItemEntity).findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw notFound('Knowledge item', id);
      if (item.status === 'archived') throw conflict('An archived item cannot be edited');
      return this.applyEdit(tx, item, fields, author);
    });
    return this.committed(workspaceId, edit);
  }

  async archive(workspaceId: string, id: string, author: string): Promise<KnowledgeItemEntity> {
    const archived = this.db.transaction(async (tx) => {
      const item = await tx.getRepository(KnowledgeItemEntity).findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw notFound('Knowledge item', id);
      if (item.status === 'archived') throw conflict(`Knowledge item ${id} is already archived`);
      item.status = 'archived';
      await tx.getRepository(KnowledgeItemEntity).save(item);
      await recordEvents(tx, [{ workspaceId, type: 'knowledge_archived', payload: { knowledgeItemId: id, topic: item.topic, actor: author } }]);
      return item;
    });
    return this.committed(workspaceId, archived);
  }

  /** Creates or updates articles by external key, all or nothing. */
  async importArticles(workspaceId: string, articles: ArticleFields[], author: string): Promise<ImportSummary> {
    if (articles.length === 0) throw badInput('articles must not be empty');
    if (articles.length > MAX_IMPORT) throw badInput(`At most ${MAX_IMPORT} articles per import; got ${articles.length}`);
    const keys = articles.map((a) => a.externalKey);
    if (keys.some((k) => !k)) throw badInput('Every imported article needs an externalKey, so that importing again updates instead of duplicating');
    if (new Set(keys).size !== keys.length) throw badInput('externalKey values must be unique within one import');
    const imported = externalKeyTaken(this.db.transaction(async (tx) => {
      const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, items: [] };
      for (const article of articles) {
        const existing = await tx.getRepository(KnowledgeItemEntity).findOne({ where: { workspaceId, externalKey: article.externalKey! }, lock: { mode: 'pessimistic_write' } });
        if (!existing) {
          summary.items.push(await this.insertArticle(tx, workspaceId, article, author));
          summary.created++;
        } else if (existing.title === article.title.trim() && existing.body === article.body && existing.status === 'published' && (article.locale === undefined || article.locale === existing.locale)) {
          summary.items.push(existing);
          summary.unchanged++;
        } else {
          summary.items.push(await this.applyEdit(tx, existing, article, author, true));
          summary.updated++;
        }
      }
      return summary;
    }));
    return this.committed(workspaceId, imported);
  }

  private async committed<T>(workspaceId: string, change: Promise<T>): Promise<T> {
    const result = await change;
    this.changed?.(workspaceId);
    return result;
  }

  async getItem(workspaceId: string, id: string): Promise<KnowledgeItemEntity> {
    const item = await this.items.findOneBy({ id, workspaceId });
    if (!item) throw notFound('Knowledge item', id);
    return item;
  }

  async countItems(workspaceId: string): Promise<number> {
    return this.items.countBy({ workspaceId });
  }

  async versions(workspaceId: string, itemId: string): Promise<Array<{ version: number; title: string; body: string; author: string; createdAt: Date }>> {
    return this.db.query(
      `SELECT version, title, body, author, created_at AS "createdAt" FROM knowledge.item_versions WHERE workspace_id = $1 AND item_id = $2 ORDER BY version DESC`,
      [workspaceId, itemId],
    );
  }

  private async insertArticle(tx: EntityManager, workspaceId: string, fields: ArticleFields, author: string): Promise<KnowledgeItemEntity> {
    const item = await tx.getRepository(KnowledgeItemEntity).save(
      tx.getRepository(KnowledgeItemEntity).create({
        workspaceId,
        kind: 'article',
        status: 'published',
        title: fields.title.trim(),
        body: fields.body,
        topic: fields.topic?.trim() ?? '',
        tags: fields.tags ?? [],
        locale: fields.locale ?? DEFAULT_LOCALE,
        audiencePlans: fields.audiencePlans ?? [],
        audienceSegments: fields.audienceSegments ?? [],
        externalKey: fields.externalKey ?? null,
        version: 1,
        stale: false,
        provenance: { author },
      }),
    );
    await recordVersion(tx, item, author);
    await writePassages(tx, item);
    await recordEvents(tx, [{ workspaceId, type: 'knowledge_published', payload: { knowledgeItemId: item.id, topic: item.topic, title: item.title, kind: 'article', version: 1 } }]);
    return item;
  }

  private async applyEdit(tx: EntityManager, item: KnowledgeItemEntity, fields: Partial<ArticleFields>, author: string, republish = false): Promise<KnowledgeItemEntity> {
    const contentChanged = (fields.title !== undefined && fields.title.trim() !== item.title) || (fields.body !== undefined && fields.body !== item.body);
    const bodyChanged = fields.body !== undefined && fields.body !== item.body;
    if (fields.title !== undefined) item.title = fields.title.trim();
    if (fields.body !== undefined) item.body = fields.body;
    if (fields.topic !== undefined) item.topic = fields.topic.trim();
    if (fields.tags !== undefined) item.tags = fields.tags;
    if (fields.locale !== undefined) item.locale = fields.locale;
    if (fields.audiencePlans !== undefined) item.audiencePlans = fields.audiencePlans;
    if (fields.audienceSegments !== undefined) item.audienceSegments = fields.audienceSegments;
    if (republish) item.status = 'published';
    const wasStale = item.stale;
    if (contentChanged) item.version += 1;
    item.stale = false;
    item.staleSince = null;
    item.staleReason = null;
    item.supersededBy = null;
    await tx.getRepository(KnowledgeItemEntity).save(item);
    if (contentChanged) {
      await recordVersion(tx, item, author);
      await writePassages(tx, item);
    }
    if (bodyChanged && item.kind === 'article') await flagLearnedAnswersOf(tx, item.workspaceId, item, author);
    if (wasStale) {
      await tx.query(
        `UPDATE knowledge.review_requests SET resolved_at = now(), resolution = 'updated', resolved_by = $2 WHERE item_id = $1 AND reason = 'stale' AND resolved_at IS NULL`,
        [item.id, author],
      );
    }
    await recordEvents(tx, [{ workspaceId: item.workspaceId, type: 'knowledge_updated', payload: { knowledgeItemId: item.id, topic: item.topic, title: item.title, version: item.version } }]);
    return item;
  }
}
