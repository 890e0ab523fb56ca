/**
 * The in-process passage index on the knowledge service's real Postgres schema: its term statistics are the ones
 * the passage writes keep in Postgres (lexeme_stats, passage_totals), it ranks by BM25F what Postgres would match,
 * and an index held by another replica catches up on its next question after an edit, an import or a learned
 * answer written elsewhere, without a restart.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { PassageIndexes } from '../../services/knowledge/retrieval/passage-index';
import { passageRelevance } from '../../services/knowledge/retrieval/ranking';
import { RetrievalService } from '../../services/knowledge/retrieval/retrieval.service';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_passage_index');

const ARTICLES = [
  { externalKey: 'delivery', title: 'Card delivery', body: 'Cards arrive within 5 working days. Track the delivery in the app under Card > Delivery.' },
  { externalKey: 'top-up', title: 'Topping up', body: 'Top up by bank transfer or with a debit card from Account > Top up.\n\nTop ups by card are instant.' },
  { externalKey: 'rates', title: 'Exchange rates', body: 'We convert at the interbank rate plus a small fee on weekends.' },
];

async function workspaceWithArticles() {
  const workspaceId = randomUUID();
  const summary = await knowledge.sut.knowledge.importArticles(workspaceId, ARTICLES, 'admin:test');
  return { workspaceId, items: summary.items };
}

/** The question's lexemes and the workspace's document frequencies as Postgres keeps them. */
async function postgresStatistics(workspaceId: string, question: string) {
  const rows: Array<{ lexeme: string; df: string | null }> = await knowledge.db.query(
    `SELECT t.lexeme, s.passages AS df FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS t(lexeme)
       LEFT JOIN knowledge.lexeme_stats s ON s.workspace_id = $1 AND s.lexeme = t.lexeme`,
    [workspaceId, question],
  );
  const [totals] = await knowledge.db.query(`SELECT passages, lexemes FROM knowledge.passage_totals WHERE workspace_id = $1`, [workspaceId]);
  return { df: new Map(rows.map((row) => [row.lexeme, Number(row.df ?? 0)])), passages: Number(totals.passages), lexemes: Number(totals.lexemes) };
}

describe('the passage index', () => {
  it('counts what Postgres counts, and finds every item holding a term of the question', async () => {
    const { workspaceId, items } = await workspaceWithArticles();
    const indexes = new PassageIndexes(knowledge.db);
    const question = 'how do I top up my card by bank transfer?';
    const { lexemes, index } = await indexes.probe(workspaceId, question);
    const expected = await postgresStatistics(workspaceId, question);
    expect(new Set(lexemes)).toEqual(new Set(expected.df.keys()));
    expect(index.passageCount).toBe(expected.passages);
    const hits = index.rank(lexemes, question, 10);
    // "card" is in the delivery and top-up articles (and a title); "exchange rates" holds none of the terms.
    expect(hits.map((hit) => hit.itemId).sort()).toEqual([items[0]!.id, items[1]!.id].sort());
    expect(hits[0]!.itemId).toBe(items[1]!.id);
    expect(hits[0]!.relevance).toBeGreaterThan(hits[1]!.relevance);
    const [digest] = await knowledge.db.query(`SELECT md5(text) AS digest FROM knowledge.passages WHERE id = $1`, [hits[0]!.passage.id]);
    expect(hits[0]!.passage.digest).toBe(digest.digest);
  });

  it('scores each item as passageRelevance scores its best passage from Postgres\'s own term statistics', async () => {
    const { workspaceId } = await workspaceWithArticles();
    const indexes = new PassageIndexes(knowledge.db);
    for (const question of ['how do I top up my card by bank transfer?', 'card delivery times', 'exchange rate fees on weekends', 'top-ups']) {
      const { lexemes, index } = await indexes.probe(workspaceId, question);
      const hits = index.rank(lexemes, question, 10);
      expect(hits.length).toBeGreaterThan(0);
      const stats = await postgresStatistics(workspaceId, question);
      // Every passage of each hit's item, with its term frequencies and title similarity as Postgres computes them.
      const rows: Array<{ itemId: string; length: number; passageTf: number[]; titleTf: number[]; similarity: number }> = await knowledge.db.query(
        `SELECT p.item_id AS "itemId", length(p.search_vector) AS length,
                ARRAY(SELECT coalesce(array_length(u.positions, 1), 0) FROM unnest($2::text[]) WITH ORDINALITY t(lexeme, n)
                        LEFT JOIN unnest(p.search_vector) u ON u.lexeme = t.lexeme ORDER BY t.n) AS "passageTf",
                ARRAY(SELECT coalesce(array_length(u.positions, 1), 0) FROM unnest($2::text[]) WITH ORDINALITY t(lexeme, n)
                        LEFT JOIN unnest(i.title_vector) u ON u.lexeme = t.lexeme ORDER BY t.n) AS "titleTf",
                public.similarity(i.title, $3)::float8 AS similarity
           FROM knowledge.passages p JOIN knowledge.knowledge_items i ON i.id = p.item_id
          WHERE p.item_id = ANY($1::uuid[])`,
        [hits.map((hit) => hit.itemId), lexemes, question],
      );
      const corpus = { termPassages: lexemes.map((lexeme) => stats.df.get(lexeme) ?? 0), totalPassages: stats.passages, totalLength: stats.lexemes };
      for (const hit of hits) {
        const relevances = rows
          .filter((row) => row.itemId === hit.itemId)
          .map((row) => passageRelevance({ passageTf: row.passageTf, titleTf: row.titleTf, passageLength: Number(row.length), titleSimilarity: Number(row.similarity) }, corpus));
        expect(hit.relevance).toBeCloseTo(Math.max(...relevances), 6);
      }
    }
  });

  it('on another replica, ranks an edit and a new article on the next question', async () => {
    const { workspaceId, items } = await workspaceWithArticles();
    const replica = new PassageIndexes(knowledge.db);
    const question = 'what fee do you charge on weekends?';
    const first = await replica.probe(workspaceId, question);
    expect(first.index.rank(first.lexemes, question, 10).map((hit) => hit.itemId)).toEqual([items[2]!.id]);

    // Written through this process's services, not the replica's: only the revision tells the replica.
    await knowledge.sut.knowledge.updateArticle(workspaceId, items[2]!.id, { body: 'We convert at the interbank rate.' }, 'admin:test');
    const created = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Weekend fees', body: 'A fee of 1% applies to exchanges on weekends.' }, 'admin:test');
    const after = await replica.probe(workspaceId, question);
    expect(after.index).toBe(first.index);
    const hits = after.index.rank(after.lexemes, question, 10);
    expect(hits[0]!.itemId).toBe(created.id);
    // The edited article no longer holds "fee" or "weekend", only the new one does.
    expect(hits.map((hit) => hit.itemId)).toEqual([created.id]);
    const expected = await postgresStatistics(workspaceId, question);
    expect(after.index.passageCount).toBe(expected.passages);
  });

  it('holds at most its bound of passages: the least recently asked workspace is dropped, and loaded again when asked', async () => {
    const [a, b] = [await workspaceWithArticles(), await workspaceWithArticles()];
    const perWorkspace = (await postgresStatistics(a.workspaceId, 'card')).passages;
    const indexes = new PassageIndexes(knowledge.db, { maxPassages: perWorkspace });
    const first = await indexes.probe(a.workspaceId, 'card delivery');
    expect((await indexes.probe(a.workspaceId, 'card delivery')).index).toBe(first.index);
    await indexes.probe(b.workspaceId, 'card delivery');
    const again = await indexes.probe(a.workspaceId, 'card delivery');
    expect(again.index).not.toBe(first.index);
    expect(again.index.rank(again.lexemes, 'card delivery', 1)[0]!.itemId).toBe(a.items[0]!.id);
  });

  it('serves retrieval: a question is answered from what was imported a moment before', async () => {
    const { workspaceId, items } = await workspaceWithArticles();
    const retrieval = new RetrievalService(knowledge.db, knowledge.sut.policy);
    const before = await retrieval.retrieve(workspaceId, 'how long does card delivery take?', { plan: '', limit: 3 });
    expect(before.candidates[0]?.knowledgeItemId).toBe(items[0]!.id);
    expect(before.candidates[0]?.passageText).toContain('Cards arrive within 5 working days');
    const audited = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Account audits', body: 'Auditors can export a ledger of every account movement.' }, 'admin:test');
    const found = await retrieval.retrieve(workspaceId, 'can auditors export the ledger?', { plan: '', limit: 3 });
    expect(found.candidates.map((c) => c.knowledgeItemId)).toEqual([audited.id]);
  });

  it('leaves out items the asker may not be answered from', async () => {
    const workspaceId = randomUUID();
    const pro = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Audit logs', body: 'Audit logs keep a year of changes.', audiencePlans: ['enterprise'] }, 'admin:test');
    const retrieval = new RetrievalService(knowledge.db, knowledge.sut.policy);
    const starter = await retrieval.retrieve(workspaceId, 'how long are audit logs kept?', { plan: 'starter', limit: 3 });
    expect(starter.candidates).toEqual([]);
    const enterprise = await retrieval.retrieve(workspaceId, 'how long are audit logs kept?', { plan: 'enterprise', limit: 3 });
    expect(enterprise.candidates.map((c) => c.knowledgeItemId)).toEqual([pro.id]);
  });
});
