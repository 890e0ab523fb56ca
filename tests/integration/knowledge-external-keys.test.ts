/**
 * An article's external key is unique in its workspace (the key imports update by). A write that loses the key to
 * another is a CONFLICT with what to do, on the knowledge service's real Postgres schema, never an internal error.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../services/shared/errors';
import { eventually } from '../helpers/eventually';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_external_keys');

const article = (title: string) => ({ externalKey: 'billing-cycles', title, body: `${title}: billing runs on the first of each month.` });

it('creating an article with a key already in use is a CONFLICT, and the first article stays as it was', async () => {
  const workspaceId = randomUUID();
  const first = await knowledge.sut.knowledge.createArticle(workspaceId, article('Billing cycles'), 'admin:test');
  await expect(knowledge.sut.knowledge.createArticle(workspaceId, article('Billing dates'), 'admin:test')).rejects.toMatchObject({
    code: ErrorCode.Conflict,
    message: expect.stringContaining('externalKey'),
  });
  const rows = await knowledge.db.query(`SELECT id, title FROM knowledge.knowledge_items WHERE workspace_id = $1`, [workspaceId]);
  expect(rows).toEqual([{ id: first.id, title: 'Billing cycles' }]);
  // Another workspace may use the same key.
  await expect(knowledge.sut.knowledge.createArticle(randomUUID(), article('Billing cycles'), 'admin:test')).resolves.toMatchObject({ externalKey: 'billing-cycles' });
});

it('two imports adding the same new key at once make one article, and the one that loses the key is told CONFLICT', async () => {
  const workspaceId = randomUUID();
  // An uncommitted row with the key makes both imports find no article and then wait on the unique index; rolled
  // back once both wait, the first import's insert goes ahead and the second loses the key to it.
  const holder = knowledge.db.createQueryRunner();
  await holder.connect();
  let settled: PromiseSettledResult<unknown>[];
  try {
    await holder.startTransaction();
    await holder.query(`INSERT INTO knowledge.knowledge_items (workspace_id, kind, status, title, body, external_key) VALUES ($1, 'article', 'published', 'held', 'held', 'billing-cycles')`, [workspaceId]);
    const imports = Promise.allSettled([
      knowledge.sut.knowledge.importArticles(workspaceId, [article('Billing cycles')], 'admin:a'),
      knowledge.sut.knowledge.importArticles(workspaceId, [article('Billing dates')], 'admin:b'),
    ]);
    await eventually(
      async () => (await knowledge.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))[0].n,
      (waiting: number) => waiting >= 2,
    );
    await holder.rollbackTransaction();
    settled = await imports;
  } finally {
    await holder.release();
  }
  expect(settled.map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as DomainError).code)).sort()).toEqual([ErrorCode.Conflict, 'ok'].sort());
  const [{ n }] = await knowledge.db.query(`SELECT count(*)::int AS n FROM knowledge.knowledge_items WHERE workspace_id = $1 AND external_key = 'billing-cycles'`, [workspaceId]);
  expect(n).toBe(1);
});
