/**
 * `npm run import -- --folder <dir> [--gateway <url>] [--key <admin key>]`: imports a folder of starting
 * knowledge (kb.jsonl or Markdown with front matter) through the gateway's importArticles mutation, in
 * batches. Re-running it updates changed articles and leaves the rest alone. The key defaults to
 * LOOPDESK_ADMIN_KEY, then to .data/admin-key (what `npm start` saved).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Progress } from '../../shared/progress';
import { readKnowledgeFolder } from './knowledge-folder';

const IMPORT = `mutation Import($input: ImportArticlesInput!) { importArticles(input: $input) { created updated unchanged } }`;
const BATCH = 500;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { folder: { type: 'string' }, gateway: { type: 'string', default: 'http://127.0.0.1:4000/graphql' }, key: { type: 'string' } },
  });
  if (!values.folder) throw new Error('Usage: npm run import -- --folder <dir> [--gateway <url>] [--key <admin key>]');
  const key = values.key ?? process.env.LOOPDESK_ADMIN_KEY ?? (existsSync('.data/admin-key') ? readFileSync('.data/admin-key', 'utf8').trim() : undefined);
  if (!key) throw new Error('Pass --key, set LOOPDESK_ADMIN_KEY, or start the stack once with `npm start` (it saves .data/admin-key)');
  const articles = readKnowledgeFolder(values.folder);
  const totals = { created: 0, updated: 0, unchanged: 0 };
  const progress = new Progress('import', { unit: 'articles', total: articles.length });
  for (let start = 0; start < articles.length; start += BATCH) {
    const response = await fetch(values.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: IMPORT, variables: { input: { articles: articles.slice(start, start + BATCH) } } }),
    });
    const body = (await response.json()) as { data?: { importArticles: typeof totals }; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.length || !body.data) throw new Error(`Import failed: ${body.errors?.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += body.data.importArticles[k];
    progress.advance(Math.min(BATCH, articles.length - start));
  }
  progress.finish();
  console.log(`Imported ${articles.length} articles from ${values.folder}: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
