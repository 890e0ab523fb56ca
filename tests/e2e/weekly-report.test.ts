/**
 * The weekly intelligence report end to end: events of last week in the services' outboxes → relay →
 * warehouse; the workspace's Schedule fires the workflow on the real Temporal dev server; the report is built,
 * stored, fetched over GraphQL and posted to a webhook that fails once. On-demand generation too, which
 * returns once the report is stored even while the webhook hangs. Webhooks to internal addresses are refused.
 * Insights cut by where askers were (plan, page area), and the finding naming the context where automation fell.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { parse } from 'parse5';
import { Pool } from 'pg';
import { QUIET_WEEK } from '../../services/insights/report/weekly-report-findings';
import { reportPeriod } from '../../services/insights/report/report-period';
import type { WeeklyReportResult } from '../../workflows';
import { isoWeekOf, reportedIsoWeek } from '../../workflows/iso-week';
import { codeOf, customerToken, dataOf } from '../helpers/graphql';
import { eventually } from '../helpers/eventually';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

let env: TestStack;
let connection: Connection;
let temporal: Client;
let pool: Pool;
let webhook: WebhookReceiver;

const TIME_ZONE = 'Europe/Paris';
/** The test receiver listens on its own loopback address, the only private target the stack allow-lists. */
const RECEIVER_HOST = '127.0.0.2';

beforeAll(async () => {
  env = await startTestStack({ WEEKLY_REPORT_RECONCILE_MS: '1000', REPORT_WEBHOOK_ALLOWED_HOSTS: RECEIVER_HOST });
  connection = await Connection.connect({ address: env.temporalAddress });
  temporal = new Client({ connection });
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  webhook = await startWebhookReceiver();
});

afterAll(async () => {
  await new Promise((resolve) => webhook?.server.close(resolve));
  await pool?.end();
  await connection?.close();
  await env?.stop();
});

interface Received {
  headers: IncomingHttpHeaders;
  body: { text: string; blocks: Array<{ type: string }> };
  status: number;
}

interface WebhookReceiver {
  server: Server;
  url: string;
  received: Received[];
  /** Answer the next `n` posts with HTTP 500. */
  failNext(n: number): void;
  /** Leave the next post unanswered until the returned release() is called. */
  holdNext(): { arrived: Promise<void>; release: () => void };
}

async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let failures = 0;
  let hold: { arrived: () => void; released: Promise<void> } | null = null;
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', async () => {
      const held = hold;
      hold = null;
      if (held) {
        held.arrived();
        await held.released;
      }
      const status = failures > 0 ? 500 : 200;
      if (failures > 0) failures--;
      received.push({ headers: request.headers, body: JSON.parse(raw), status });
      response.writeHead(status).end(status === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, RECEIVER_HOST, resolve));
  const holdNext = () => {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    hold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: arrival, release };
  };
  return { server, url: `http://${RECEIVER_HOST}:${(server.address() as AddressInfo).port}/hooks/slack/T000/B000/secret`, received, failNext: (n) => (failures = n), holdNext };
}

/** Writes events straight into conversation's outbox, as if they had happened then; the relay takes them from there. */
async function backdatedEvents(workspaceId: string, events: Array<{ type: string; at: Date; payload: Record<string, unknown> }>): Promise<void> {
  for (const event of events) {
    await pool.query(`INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload) VALUES ($1, $2, $3, $4, $5)`, [
      randomUUID(),
      workspaceId,
      event.type,
      event.at,
      JSON.stringify(event.payload),
    ]);
  }
}

const SUPPORT = `query($input: SupportMetricsInput!) {
  workspace { support(input: $input) { totals { questions automationRate handOffRate resolutionRate satisfaction medianFirstResponseSeconds medianResolutionSeconds } buckets { medianFirstResponseSeconds medianResolutionSeconds } } }
}`;
const REPORT = `query($week: String!) {
  workspace {
    weeklyReport(isoWeek: $week) {
      id isoWeek periodStart periodEnd findings markdown html
      headline {
        questions { current previous } automationRate { current previous } handOffRate { current previous }
        resolutionRate { current previous } satisfaction { current previous }
        medianFirstResponseSeconds { current previous } medianResolutionSeconds { current previous } correctionsAbsorbed { current previous }
      }
      deliveries { webhookId attempts lastStatus deliveredAt }
    }
  }
}`;

/** Every element of a parsed HTML document, depth first. */
function elements(node: any): any[] {
  const children: any[] = [...(node.childNodes ?? []), ...(node.content?.childNodes ?? [])];
  return [...(node.tagName ? [node] : []), ...children.flatMap(elements)];
}

describe('the weekly intelligence report', () => {
  let ws: TestWorkspace;
  const lastWeek = reportedIsoWeek(new Date());

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Acme Analytics', { timeZone: TIME_ZONE });
  });

  it('is built by the Schedule on Temporal, equals the insights queries for the week, and reaches the webhook despite one failure', async () => {
    const added = dataOf(await ws.as('admin', 'mutation($input: AddReportWebhookInput!) { addReportWebhook(input: $input) { id label destination } }', { input: { url: webhook.url, label: '#support-insights' } }));
    expect(added.addReportWebhook).toMatchObject({ label: '#support-insights', destination: `${new URL(webhook.url).origin}/…` });

    // Last week (Paris): 6 questions over 4 conversations. A, B answered; C, D handed off (D's question is about
    // exporting, like C's). C got an agent reply 10 minutes after its hand-off and was resolved an hour after its
    // question, D got a correction 4 h 56.99 min after its hand-off; A resolved after 5 minutes. One up-rating, one down. Two corrections absorbed.
    // The week before: 2 questions, both answered, one resolved after 20 minutes.
    const period = reportPeriod(lastWeek, TIME_ZONE);
    const before = reportPeriod(isoWeekOf(new Date(period.start.getTime() - 3 * 86_400_000)), TIME_ZONE);
    const at = (start: Date, hours: number, minutes = 0) => new Date(start.getTime() + hours * 3_600_000 + minutes * 60_000);
    const [A, B, C, D, E, F] = Array.from({ length: 6 }, () => randomUUID());
    // As ask records a question: a conversation's later questions are follow-ups (it counts where its first one is).
    const question = (conversationId: string, when: Date, text: string, topic = 'exports', followUp = false) => ({ type: 'question_asked', at: when, payload: { conversationId, text, topic, plan: 'pro', page: '/reports', followUp } });
    // What conversation stamps on a conversation's first reply and first resolution.
    const firsts = (started: Date, duration: { firstResponseMs: number } | { resolutionMs: number }) => ({
      conversationStartedAt: started.toISOString(),
      firstTopic: 'exports',
      firstPlan: 'pro',
      firstPage: '/reports',
      firstChannel: '',
      firstLanguage: '',
      ...duration,
    });
    await backdatedEvents(ws.id, [
      question(A, at(period.start, 10), 'How do I export a report?'),
      { type: 'answer_shown', at: at(period.start, 10, 0.01), payload: { conversationId: A, topic: 'exports', plan: 'pro', page: '/reports' } },
      { type: 'answer_rated', at: at(period.start, 10, 1), payload: { conversationId: A, topic: 'exports', rating: 1 } },
      { type: 'resolved', at: at(period.start, 10, 5), payload: { conversationId: A, topic: 'exports', ...firsts(at(period.start, 10), { resolutionMs: 300_000 }) } },
      question(A, at(period.start, 10, 2), 'And to PDF?', 'exports', true),
      question(B, at(period.start, 30), 'Where do I change my password?', 'account'),
      { type: 'answer_shown', at: at(period.start, 30, 0.01), payload: { conversationId: B, topic: 'account', plan: 'pro' } },
      { type: 'answer_rated', at: at(period.start, 30, 1), payload: { conversationId: B, topic: 'account', rating: -1 } },
      question(C, at(period.start, 50), 'Export to CSV fails with a timeout'),
      { type: 'handed_off', at: at(period.start, 50, 0.01), payload: { conversationId: C, topic: 'exports', handOffReason: 'low_confidence', text: 'Export to CSV fails with a timeout' } },
      { type: 'agent_replied', at: at(period.start, 50, 10.01), payload: { conversationId: C, topic: 'exports', ...firsts(at(period.start, 50), { firstResponseMs: 600_000 }) } },
      { type: 'answer_corrected', at: at(period.start, 50, 12), payload: { conversationId: C, topic: 'exports' } },
      { type: 'resolved', at: at(period.start, 51), payload: { conversationId: C, topic: 'exports', ...firsts(at(period.start, 50), { resolutionMs: 3_600_000 }) } },
      question(D, at(period.start, 70), 'CSV export times out'),
      question(D, at(period.start, 70, 3), 'still timing out on CSV export', 'exports', true),
      { type: 'handed_off', at: at(period.start, 70, 3.01), payload: { conversationId: D, topic: 'exports', handOffReason: 'low_confidence', text: 'CSV export times out' } },
      { type: 'answer_corrected', at: at(period.start, 75), payload: { conversationId: D, topic: 'exports', ...firsts(at(period.start, 70), { firstResponseMs: (5 * 3600 - 3.01 * 60) * 1000 }) } },
      question(E, at(before.start, 20), 'How do I export?'),
      { type: 'answer_shown', at: at(before.start, 20, 0.01), payload: { conversationId: E, topic: 'exports' } },
      { type: 'resolved', at: at(before.start, 20, 20), payload: { conversationId: E, topic: 'exports', ...firsts(at(before.start, 20), { resolutionMs: 1_200_000 }) } },
      question(F, at(before.start, 40), 'How do I invite a teammate?', 'account'),
      { type: 'answer_shown', at: at(before.start, 40, 0.01), payload: { conversationId: F, topic: 'account' } },
    ]);
    const weekTotals = async (from: Date, to: Date) => {
      const { totals, buckets } = dataOf(await ws.as('analyst', SUPPORT, { input: { from: from.toISOString(), to: to.toISOString(), granularity: 'WEEK' } })).workspace.support;
      // A week's one bucket has the week's times: the totals' and the buckets' come from one pass when both are asked for.
      expect(buckets.map((b: Record<string, unknown>) => [b.medianFirstResponseSeconds, b.medianResolutionSeconds])).toEqual(
        buckets.length ? [[totals.medianFirstResponseSeconds, totals.medianResolutionSeconds]] : [],
      );
      return totals;
    };
    // The events were inserted one at a time, so the relay may deliver the week's six questions before D's later
    // stamped correction: wait for the whole week (eventually returns the last totals if it never settles).
    const firstResponse = (600 + (5 * 3600 - 3.01 * 60)) / 2;
    const resolution = (300 + 3600) / 2;
    const relayed = await eventually(
      () => weekTotals(period.start, period.end),
      (totals) => totals.questions === 6 && Math.abs((totals.medianFirstResponseSeconds ?? 0) - firstResponse) < 1e-3 && Math.abs((totals.medianResolutionSeconds ?? 0) - resolution) < 1e-3,
    );
    expect(relayed).toMatchObject({ questions: 6, automationRate: 0.5, resolutionRate: 0.5, satisfaction: 0.5 });
    expect(relayed.medianFirstResponseSeconds).toBeCloseTo(firstResponse, 3);
    expect(relayed.medianResolutionSeconds).toBeCloseTo(resolution, 3);
    const previousTotals = await eventually(() => weekTotals(before.start, before.end), (totals) => totals.questions === 2);

    // The worker keeps one schedule per workspace; fire it now instead of waiting for Monday 06:00.
    const scheduleId = `weekly-report-${ws.id}`;
    const schedule = temporal.schedule.getHandle(scheduleId);
    await eventually(() => schedule.describe().then(() => true, () => false), (exists) => exists);
    webhook.failNext(1);
    await schedule.trigger();
    const workflowId = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, (id) => id !== undefined);
    const result = (await temporal.workflow.getHandle(workflowId!).result()) as WeeklyReportResult;
    expect(result).toMatchObject({ workspaceId: ws.id, isoWeek: lastWeek, deliveryWorkflowId: expect.any(String) });
    // Posting runs in its own workflow, after the report was stored.
    const deliveries = await temporal.workflow.getHandle(result.deliveryWorkflowId!).result();
    expect(deliveries).toEqual([{ webhookId: added.addReportWebhook.id, outcome: 'delivered' }]);
    const report = dataOf(await ws.as('analyst', REPORT, { week: lastWeek })).workspace.weeklyReport;
    expect(report).toMatchObject({ id: result.reportId, isoWeek: lastWeek, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() });

    // Headline = the insights queries for the same weeks.
    const { headline } = report;
    for (const [figure, key] of [
      ['questions', 'questions'],
      ['automationRate', 'automationRate'],
      ['handOffRate', 'handOffRate'],
      ['resolutionRate', 'resolutionRate'],
      ['satisfaction', 'satisfaction'],
      ['medianFirstResponseSeconds', 'medianFirstResponseSeconds'],
      ['medianResolutionSeconds', 'medianResolutionSeconds'],
    ] as const) {
      expect([figure, headline[figure].current]).toEqual([figure, relayed[key]]);
      expect([figure, headline[figure].previous]).toEqual([figure, previousTotals[key]]);
    }
    const curve = dataOf(
      await ws.as('analyst', 'query($input: InsightRangeInput!) { workspace { learningCurve(input: $input) { start correctionsAbsorbed } } }', {
        input: { from: period.start.toISOString(), to: period.end.toISOString(), granularity: 'WEEK' },
      }),
    ).workspace.learningCurve;
    expect(headline.correctionsAbsorbed.current).toBe(curve[0].correctionsAbsorbed);
    expect(headline.correctionsAbsorbed).toEqual({ current: 2, previous: 0 });
    expect(headline.questions).toEqual({ current: 6, previous: 2 });

    // The HTML is one valid page with its charts drawn as SVG, and no script.
    const parseErrors: string[] = [];
    const document = parse(report.html, { onParseError: (error) => parseErrors.push(`${error.code} at line ${error.startLine}`) });
    expect(parseErrors).toEqual([]);
    const tags = elements(document).map((element) => element.tagName);
    expect(tags.filter((tag) => tag === 'svg').length).toBeGreaterThanOrEqual(2);
    expect(tags).not.toContain('script');
    expect(report.html).toContain('Acme Analytics');
    expect(report.findings.length).toBeGreaterThanOrEqual(3);
    expect(report.findings.length).toBeLessThanOrEqual(5);
    for (const finding of report.findings) expect(report.markdown).toContain(finding.slice(0, 30));
    // The export hand-offs form one knowledge gap with both questions.
    expect(report.markdown).toMatch(/CSV export times out|Export to CSV fails with a timeout/);

    // The webhook refused the first post and took the retry: two attempts, one message, the same delivery id.
    const posts = webhook.received.filter((post) => post.headers['x-loopdesk-delivery']?.toString().startsWith(result.reportId));
    expect(posts.map((post) => post.status)).toEqual([500, 200]);
    expect(posts[0]!.headers['x-loopdesk-delivery']).toBe(posts[1]!.headers['x-loopdesk-delivery']);
    expect(posts[1]!.body.text).toContain(`Acme Analytics, ${lastWeek}`);
    expect(posts[1]!.body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(report.deliveries).toEqual([{ webhookId: added.addReportWebhook.id, attempts: 2, lastStatus: 200, deliveredAt: expect.any(String) }]);

    const listed = dataOf(await ws.as('analyst', '{ workspace { weeklyReports { edges { cursor node { isoWeek findings } } pageInfo { hasNextPage } } } }')).workspace.weeklyReports;
    expect(listed.edges.map((edge: { cursor: string }) => edge.cursor)).toEqual([lastWeek]);
    expect(listed.pageInfo.hasNextPage).toBe(false);
  });

  it('is generated on demand by an admin and returned once stored, while the webhook still hangs; the post is recorded afterwards', async () => {
    const thisWeek = isoWeekOf(new Date());
    const postsBefore = webhook.received.length;
    const hanging = webhook.holdNext();
    const generated = dataOf(
      await ws.as('admin', 'mutation($input: GenerateWeeklyReportInput!) { generateWeeklyReport(input: $input) { id isoWeek findings html deliveries { attempts deliveredAt } } }', { input: { isoWeek: thisWeek } }),
    ).generateWeeklyReport;
    // The mutation did not wait on the webhook, which has not answered (nor been told to).
    expect(generated).toMatchObject({ isoWeek: thisWeek, html: expect.stringContaining('<svg') });
    expect(generated.deliveries.filter((delivery: { deliveredAt: string | null }) => delivery.deliveredAt !== null)).toEqual([]);
    expect(webhook.received.length).toBe(postsBefore);
    const stored = dataOf(await ws.as('analyst', REPORT, { week: thisWeek })).workspace.weeklyReport;
    expect(stored.id).toBe(generated.id);

    await hanging.arrived;
    hanging.release();
    const delivered = await eventually(
      async () => dataOf(await ws.as('analyst', REPORT, { week: thisWeek })).workspace.weeklyReport.deliveries,
      (deliveries) => deliveries.length === 1 && deliveries[0].deliveredAt !== null,
    );
    expect(delivered).toEqual([{ webhookId: expect.any(String), attempts: expect.any(Number), lastStatus: 200, deliveredAt: expect.any(String) }]);
    expect(webhook.received.length).toBe(postsBefore + 1);
    expect(webhook.received.at(-1)!.body.text).toContain(thisWeek);
  });

  it('is written by `npm run report` with the key from the environment; a week without questions says so once, and no post is promised without a webhook', async () => {
    const quiet = await createTestWorkspace(env, 'Report CLI', { timeZone: TIME_ZONE });
    const out = mkdtempSync(path.join(tmpdir(), 'loopdesk-report-cli-'));
    try {
      const week = reportedIsoWeek(new Date());
      const cli = path.join(REPO_ROOT, 'dist', 'services', 'insights', 'report', 'report-cli.js');
      const { stdout } = await promisify(execFile)(process.execPath, [cli, '--workspace', quiet.id, '--week', week, '--out', out, '--gateway', env.gatewayUrl], {
        cwd: out,
        env: { ...process.env, LOOPDESK_ADMIN_KEY: quiet.keys.admin },
      });
      expect(stdout).toContain(`Weekly report for Report CLI, ${week}`);
      expect(stdout).toContain(`  • ${QUIET_WEEK}`);
      expect(stdout.match(/ • /g)).toHaveLength(1);
      expect(stdout).not.toMatch(/webhook/i);
      expect(readFileSync(path.join(out, `${quiet.id}-${week}.md`), 'utf8')).toContain(QUIET_WEEK);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses webhooks that point at internal addresses, however they are spelled', async () => {
    const addWebhook = (url: string) => ws.as('admin', 'mutation($input: AddReportWebhookInput!) { addReportWebhook(input: $input) { id } }', { input: { url, label: 'probe' } });
    const internal = [
      'http://127.0.0.1:4103/graphql',
      'https://127.0.0.1:4103/graphql',
      'localhost:8233',
      'http://localhost:8233/',
      'https://localhost:8233/',
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://0x7f000001/hook',
      'https://2130706433/hook',
      'https://0177.0.0.1/hook',
      'https://10.0.0.1/hook',
      'https://100.64.0.1/hook',
      `http://${RECEIVER_HOST.replace(/2$/, '3')}:${new URL(webhook.url).port}/hook`,
    ];
    const codes = await Promise.all(internal.map(async (url) => [url, codeOf(await addWebhook(url))]));
    expect(codes).toEqual(internal.map((url) => [url, 'BAD_USER_INPUT']));
    const configured = dataOf(await ws.as('admin', '{ workspace { reportWebhooks { destination } } }')).workspace.reportWebhooks;
    expect(configured).toEqual([{ destination: `${new URL(webhook.url).origin}/…` }]);
  });

  it('refuses what makes no sense, with a code', async () => {
    const generate = (role: 'admin' | 'analyst', isoWeek: string) =>
      ws.as(role, 'mutation($input: GenerateWeeklyReportInput!) { generateWeeklyReport(input: $input) { id } }', { input: { isoWeek } });
    expect(codeOf(await generate('admin', '2026-W99'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await generate('admin', '3026-W01'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await generate('analyst', lastWeek))).toBe('FORBIDDEN');
    const addWebhook = (url: string) => ws.as('admin', 'mutation($input: AddReportWebhookInput!) { addReportWebhook(input: $input) { id } }', { input: { url, label: 'x' } });
    expect(codeOf(await addWebhook('ftp://example.com/hook'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addWebhook('not a url'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addWebhook(webhook.url))).toBe('CONFLICT');
    expect(codeOf(await ws.as('admin', 'mutation { removeReportWebhook(input: { id: "nope" }) { id } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('admin', `mutation { removeReportWebhook(input: { id: "${randomUUID()}" }) { id } }`))).toBe('NOT_FOUND');
    expect(codeOf(await ws.as('analyst', '{ workspace { weeklyReport(isoWeek: "week 48") { id } } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('agent', `{ workspace { weeklyReport(isoWeek: "${lastWeek}") { id } } }`))).toBe('FORBIDDEN');
    // Another workspace sees none of these reports.
    const other = await createTestWorkspace(env, 'Other');
    expect(dataOf(await other.as('analyst', `{ workspace { weeklyReport(isoWeek: "${lastWeek}") { id } } }`)).workspace.weeklyReport).toBeNull();
  });
});

describe('support figures filtered on the asker context', () => {
  it("keep a conversation's resolutions and ratings under its first question's channel, page and language", async () => {
    const ws = await createTestWorkspace(env, 'Filtered support');
    const token = await customerToken(ws.customerTokenSecret, 'filtered-customer');
    const ASKED = 'mutation($input: AskInput!) { ask(input: $input) { conversation { id } message { id } } }';
    const input = { channel: 'email', page: '/billing/invoices' };
    // One the customer rates and closes herself, one an agent resolves.
    const closed = dataOf(await ws.as('widget', ASKED, { input: { text: 'How do I download an invoice as a PDF?', ...input } }, token)).ask;
    dataOf(await ws.as('widget', 'mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }', { input: { messageId: closed.message.id, rating: 'DOWN' } }, token));
    dataOf(await ws.as('widget', 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }', { input: { conversationId: closed.conversation.id } }, token));
    const resolved = dataOf(await ws.as('widget', ASKED, { input: { text: 'Why was my card declined at checkout?', ...input } }, token)).ask;
    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { resolveConversation(input: $input) { status } }', { input: { conversationId: resolved.conversation.id } }));

    const hour = 3_600_000;
    const range = { from: new Date(Math.floor(Date.now() / hour) * hour - hour).toISOString(), to: new Date(Math.floor(Date.now() / hour) * hour + 2 * hour).toISOString() };
    const FIGURES = 'query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions resolved ratedDown conversations } } } }';
    const totals = async (filter: Record<string, string>) => dataOf(await ws.as('analyst', FIGURES, { input: { ...range, ...filter } })).workspace.support.totals;
    const all = await eventually(() => totals({}), (t) => t.questions === 2 && t.resolved === 2 && t.ratedDown === 1);
    expect(all).toEqual({ questions: 2, resolved: 2, ratedDown: 1, conversations: 2 });
    for (const filter of [{ channel: 'email' }, { page: '/billing/invoices' }, { language: 'en' }] as Array<Record<string, string>>) {
      expect({ filter, totals: await totals(filter) }).toEqual({ filter, totals: all });
    }
    expect(await totals({ channel: 'in_app' })).toEqual({ questions: 0, resolved: 0, ratedDown: 0, conversations: 0 });
  });
});

const CURVE = 'query($input: InsightRangeInput!) { workspace { learningCurve(input: $input) { start questions automationRate correctionsAbsorbed } } }';
const FRICTION = 'query($input: InsightRangeInput!, $by: FrictionBreakdown) { workspace { frictionPoints(input: $input, by: $by) { topic plan page pageArea handOffs downRatings } } }';

describe('insights by where askers were', () => {
  let ws: TestWorkspace;
  const lastWeek = reportedIsoWeek(new Date());
  const period = reportPeriod(lastWeek, TIME_ZONE);
  const before = reportPeriod(isoWeekOf(new Date(period.start.getTime() - 3 * 86_400_000)), TIME_ZONE);
  const range = { from: before.start.toISOString(), to: period.end.toISOString(), granularity: 'WEEK' };

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Contexts Inc', { timeZone: TIME_ZONE });
    // Two weeks of 40 questions: pro askers (alternately from /billing/invoices/7 and /reports, so each of those
    // areas has 10 a week, under the report's minimum) answered 18 of 20, then 10 of 20; free askers on
    // /settings/team answered 10 of 20, then 12 of 20. Pro answers the even questions first: billing's 10 go from 9
    // answered to 5. One down-rating on pro's billing page last week.
    const groups: Array<{ week: typeof period; plan: string; topic: string; pages: string[]; answered: number }> = [
      { week: before, plan: 'pro', topic: 'invoices', pages: ['/billing/invoices/7', '/reports'], answered: 18 },
      { week: before, plan: 'free', topic: 'team', pages: ['/settings/team'], answered: 10 },
      { week: period, plan: 'pro', topic: 'invoices', pages: ['/billing/invoices/7', '/reports'], answered: 10 },
      { week: period, plan: 'free', topic: 'team', pages: ['/settings/team'], answered: 12 },
    ];
    const events: Array<{ type: string; at: Date; payload: Record<string, unknown> }> = groups.flatMap(({ week, plan, topic, pages, answered }, group) =>
      Array.from({ length: 20 }, (_, i) => {
        const at = new Date(week.start.getTime() + (10 + (group % 2) * 40 + i) * 3_600_000);
        const common = { conversationId: randomUUID(), topic, plan, page: pages[i % pages.length]! };
        const decided = i < answered ? 'answer_shown' : 'handed_off';
        return [
          { type: 'question_asked', at, payload: { ...common, text: `question ${i}`, followUp: false } },
          { type: decided, at: new Date(at.getTime() + 1_000), payload: { ...common, ...(decided === 'handed_off' ? { handOffReason: 'low_confidence' } : {}) } },
        ];
      }).flat(),
    );
    const [firstPro] = events.filter((event) => event.at >= period.start && event.payload.plan === 'pro' && event.type === 'answer_shown');
    events.push({ type: 'answer_rated', at: new Date(firstPro!.at.getTime() + 60_000), payload: { ...firstPro!.payload, rating: -1 } });
    await backdatedEvents(ws.id, events);
    await eventually(
      async () => dataOf(await ws.as('analyst', CURVE, { input: range })).workspace.learningCurve,
      (curve) => curve.length === 2 && curve.every((bucket: { questions: number }) => bucket.questions === 40),
    );
  });

  it('cuts the learning curve by plan, by page area (its first, outermost area) and by both', async () => {
    const curve = async (context: Record<string, string>) =>
      dataOf(await ws.as('analyst', CURVE, { input: { ...range, context } })).workspace.learningCurve.map(({ questions, automationRate }: { questions: number; automationRate: number }) => [questions, automationRate]);
    expect(await curve({ plan: 'pro' })).toEqual([[20, 0.9], [20, 0.5]]);
    expect(await curve({ plan: 'free' })).toEqual([[20, 0.5], [20, 0.6]]);
    // /billing/invoices/7 is in billing (not invoices: a page's bucket is its first area); "Billing" is compared normalised.
    expect(await curve({ pageArea: 'Billing' })).toEqual([[10, 0.9], [10, 0.5]]);
    expect(await curve({ pageArea: 'invoices' })).toEqual([[0, null], [0, null]]);
    expect(await curve({ plan: 'pro', pageArea: 'reports' })).toEqual([[10, 0.9], [10, 0.5]]);
    expect(await curve({ plan: 'free', pageArea: 'reports' })).toEqual([[0, null], [0, null]]);
    // An admin may read it too.
    expect(dataOf(await ws.as('admin', CURVE, { input: { ...range, context: { plan: 'pro' } } })).workspace.learningCurve).toHaveLength(2);
  });

  it('keeps the friction points of one plan or page area, each with its page area', async () => {
    const friction = async (context: Record<string, string>, role: 'analyst' | 'admin' = 'analyst') =>
      dataOf(await ws.as(role, FRICTION, { input: { ...range, context } })).workspace.frictionPoints;
    expect(await friction({ pageArea: 'billing' })).toEqual([{ topic: 'invoices', plan: 'pro', page: '/billing/invoices/7', pageArea: 'billing', handOffs: 6, downRatings: 1 }]);
    expect(await friction({ plan: 'free' }, 'admin')).toEqual([{ topic: 'team', plan: 'free', page: '/settings/team', pageArea: 'settings', handOffs: 18, downRatings: 0 }]);
    const all = await friction({});
    expect(all.map((point: { pageArea: string }) => point.pageArea).sort()).toEqual(['billing', 'reports', 'settings']);
  });

  it('ranks friction per topic and plan, or per topic and page area, on request', async () => {
    const friction = async (by: string, context: Record<string, string> = {}) =>
      dataOf(await ws.as('analyst', FRICTION, { input: { ...range, context }, by })).workspace.frictionPoints;
    expect(await friction('PLAN')).toEqual([
      { topic: 'team', plan: 'free', page: '', pageArea: '', handOffs: 18, downRatings: 0 },
      { topic: 'invoices', plan: 'pro', page: '', pageArea: '', handOffs: 12, downRatings: 1 },
    ]);
    expect(await friction('PAGE_AREA')).toEqual([
      { topic: 'team', plan: '', page: '', pageArea: 'settings', handOffs: 18, downRatings: 0 },
      { topic: 'invoices', plan: '', page: '', pageArea: 'billing', handOffs: 6, downRatings: 1 },
      { topic: 'invoices', plan: '', page: '', pageArea: 'reports', handOffs: 6, downRatings: 0 },
    ]);
    expect(await friction('PAGE_AREA', { plan: 'free' })).toEqual([{ topic: 'team', plan: '', page: '', pageArea: 'settings', handOffs: 18, downRatings: 0 }]);
  });

  it('names the context where automation fell most in the weekly report', async () => {
    const report = dataOf(await ws.as('admin', 'mutation($input: GenerateWeeklyReportInput!) { generateWeeklyReport(input: $input) { findings markdown } }', { input: { isoWeek: lastWeek } })).generateWeeklyReport;
    expect(report.findings).toContain(
      'Automation fell most for askers on the pro plan: the AI answered 50.0% of 20 questions on its own, down from 90.0% of 20 questions the week before.',
    );
    expect(report.markdown).toContain('Automation fell most for askers on the pro plan');
  });

  it('is for analysts and admins of the workspace only, and refuses a context that makes no sense', async () => {
    const withContext = { ...range, context: { plan: 'pro', pageArea: 'billing' } };
    for (const role of ['agent', 'widget'] as const) expect([role, codeOf(await ws.as(role, FRICTION, { input: range, by: 'PAGE_AREA' }))]).toEqual([role, 'FORBIDDEN']);
    expect(codeOf(await ws.as('analyst', FRICTION, { input: range, by: 'TOPIC' }))).toBe('BAD_USER_INPUT');
    for (const query of [CURVE, FRICTION]) {
      for (const role of ['agent', 'widget'] as const) expect([query, role, codeOf(await ws.as(role, query, { input: withContext }))]).toEqual([query, role, 'FORBIDDEN']);
      for (const context of [{ plan: 'x'.repeat(101) }, { pageArea: 'x'.repeat(101) }, { plan: '' }, { pageArea: '42' }, { pageArea: ' - ' }]) {
        expect([query, context, codeOf(await ws.as('analyst', query, { input: { ...range, context } }))]).toEqual([query, context, 'BAD_USER_INPUT']);
      }
    }
    // Another workspace's analysts see none of these questions in any context.
    const other = await createTestWorkspace(env, 'Contexts elsewhere');
    expect(dataOf(await other.as('analyst', CURVE, { input: withContext })).workspace.learningCurve.every((bucket: { questions: number }) => bucket.questions === 0)).toBe(true);
    expect(dataOf(await other.as('analyst', FRICTION, { input: withContext })).workspace.frictionPoints).toEqual([]);
    expect(dataOf(await other.as('analyst', FRICTION, { input: range, by: 'PLAN' })).workspace.frictionPoints).toEqual([]);
  });
});
