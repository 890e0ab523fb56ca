/**
 * `npm run report -- --workspace <id> --week <yyyy-Www> [--out <dir>] [--gateway <url>] [--key <admin key>]`:
 * makes one weekly report now, through the gateway's generateWeeklyReport (the same workflow as the weekly
 * schedule: stored, and posted to the workspace's webhooks), then writes its Markdown and HTML to --out
 * (default .data/reports) and prints the findings. The key defaults to LOOPDESK_ADMIN_KEY, then to
 * .data/admin-key (what `npm start` saved); it must be an admin key of that workspace.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { whileWaiting } from '../../shared/progress';

const USAGE = 'Usage: npm run report -- --workspace <id> --week <yyyy-Www> [--out <dir>] [--gateway <url>] [--key <admin key>]';
const WHOAMI = `{ workspace { id name reportWebhooks { id } } }`;
const GENERATE = `mutation Generate($input: GenerateWeeklyReportInput!) {
  generateWeeklyReport(input: $input) { isoWeek generatedAt findings markdown html deliveries { webhookId attempts deliveredAt lastError } }
}`;

interface GraphQLBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function call<T>(gateway: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  if (body.errors?.length || !body.data) throw new Error(body.errors?.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') ?? `HTTP ${response.status}`);
  return body.data;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string' },
      week: { type: 'string' },
      out: { type: 'string', default: path.join('.data', 'reports') },
      gateway: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      key: { type: 'string' },
    },
  });
  if (!values.workspace || !values.week) throw new Error(USAGE);
  const key = values.key ?? process.env.LOOPDESK_ADMIN_KEY ?? (existsSync('.data/admin-key') ? readFileSync('.data/admin-key', 'utf8').trim() : undefined);
  if (!key) throw new Error('Pass --key, set LOOPDESK_ADMIN_KEY, or start the stack once with `npm start` (it saves .data/admin-key)');

  const { workspace } = await call<{ workspace: { id: string; name: string; reportWebhooks: Array<{ id: string }> } }>(values.gateway, key, WHOAMI);
  if (workspace.id !== values.workspace) throw new Error(`This key belongs to workspace ${workspace.id} (${workspace.name}), not ${values.workspace}; pass that workspace's admin key with --key`);

  const started = Date.now();
  // One call that runs the report workflow (a week of events): a heartbeat says it goes on.
  const { generateWeeklyReport: report } = await whileWaiting(`report ${values.week}`, call<{
    generateWeeklyReport: { isoWeek: string; generatedAt: string; findings: string[]; markdown: string; html: string; deliveries: Array<{ webhookId: string; attempts: number; deliveredAt: string | null; lastError: string | null }> };
  }>(values.gateway, key, GENERATE, { input: { isoWeek: values.week } }));

  mkdirSync(values.out, { recursive: true });
  const base = path.join(values.out, `${workspace.id}-${report.isoWeek}`);
  writeFileSync(`${base}.md`, report.markdown);
  writeFileSync(`${base}.html`, report.html);
  console.log(`Weekly report for ${workspace.name}, ${report.isoWeek} (built in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const finding of report.findings) console.log(`  • ${finding}`);
  // Posting to the webhooks runs on after the report is stored: these are the attempts made so far.
  for (const delivery of report.deliveries) {
    console.log(`  webhook ${delivery.webhookId}: ${delivery.deliveredAt ? `delivered (attempts: ${delivery.attempts})` : `not delivered yet after ${delivery.attempts} attempts (${delivery.lastError ?? 'no attempt'})`}`);
  }
  const webhooks = workspace.reportWebhooks.length;
  if (webhooks > 0 && report.deliveries.filter((delivery) => delivery.deliveredAt).length < webhooks) {
    console.log(`  Posting to the ${webhooks === 1 ? 'webhook' : `${webhooks} webhooks`} goes on in the background; weeklyReport(isoWeek) { deliveries } shows how it went.`);
  }
  console.log(`Written to ${base}.md and ${base}.html`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
