/**
 * Open bugs answer first, through the gateway on the real stack: a bug arrives from the bug tracker's signed
 * webhook (straight to account-context, as a tracker posts it), and a customer it affects — by account or by the
 * page's product area — who asks about it is told it is a known issue, answered or handed off as KNOWN_ISSUE.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { signWebhook } from '../../services/account-context/webhook/webhook-signature';
import { eventually } from '../helpers/eventually';
import { customerToken, dataOf } from '../helpers/graphql';
import { useTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';
import { issueEvent } from '../unit/account-context-payloads';

jest.setTimeout(180_000);

const env = useTestStack();
let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  // Dropping the database at teardown terminates idle connections; that is expected, not a test failure.
  pool.on('error', () => undefined);
});
afterAll(async () => {
  await pool.end();
});

const ASK = `mutation($input: AskInput!) {
  ask(input: $input) { decision handOffReason conversation { id } message { id text citations { knowledgeItem { id } } } }
}`;
const HAND_OFF = `query($id: ID!) { conversation(id: $id) { handOff { reason explanation askerContext { openBugs { title } knownIssue { title url } } } } }`;
const SUPPORT = `query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { handedOff } handOffReasons { reason count } } } }`;

/** What every acknowledgement in English says before the bug's title. */
const ACKNOWLEDGED = 'This looks related to a known issue our team is working on';

/** Posts a tracker issue the way the tracker does: signed with the workspace's secret, to account-context's own port. */
async function postIssue(ws: TestWorkspace, secret: string, issue: ReturnType<typeof issueEvent>) {
  const body = JSON.stringify(issue);
  const response = await fetch(`http://127.0.0.1:${env.stack.ports['account-context']}/webhooks/bug-tracker`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-loopdesk-workspace': ws.id,
      'x-loopdesk-delivery': `dlv_${randomBytes(8).toString('hex')}`,
      'x-loopdesk-signature': signWebhook(secret, body),
    },
    body,
  });
  expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 200, body: { received: true } });
}

/** A customer of an account, signed in through the widget with their own token. */
async function customerOf(ws: TestWorkspace, externalId: string, accountExternalId: string) {
  dataOf(await ws.as('admin', 'mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }', { input: { externalId: accountExternalId, name: accountExternalId } }));
  dataOf(await ws.as('admin', 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }', { input: { externalId, accountExternalId } }));
  const token = await customerToken(ws.customerTokenSecret, externalId);
  return async (text: string, page?: string) => dataOf(await ws.as('widget', ASK, { input: { text, page } }, token)).ask;
}

async function outboxPayload(messageId: string): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(`SELECT payload FROM conversation.outbox_events WHERE type IN ('answer_shown', 'handed_off') AND payload->>'messageId' = $1`, [messageId]);
  expect(rows).toHaveLength(1);
  return rows[0].payload;
}

describe('open bugs answer first', () => {
  let ws: TestWorkspace;
  let ana: Awaited<ReturnType<typeof customerOf>>;
  let bob: Awaited<ReturnType<typeof customerOf>>;

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Known issues');
    const secret = dataOf(await ws.as('admin', 'mutation($input: CreateWebhookSecretInput!) { createWebhookSecret(input: $input) { secret } }', { input: { provider: 'BUG_TRACKER' } }))
      .createWebhookSecret.secret as string;
    ana = await customerOf(ws, 'ana', 'acme');
    bob = await customerOf(ws, 'bob', 'globex');
    // Acme's own bugs, and one in the login area that names no account.
    await postIssue(ws, secret, issueEvent({ id: 'PDF-DOWNLOAD', title: 'Invoice PDF download fails', labels: ['bug'], accountExternalIds: ['acme'] }));
    await postIssue(ws, secret, issueEvent({ id: 'CSV-TIMEOUT', title: 'CSV export times out', labels: ['bug', 'area:reports'], accountExternalIds: ['acme'] }));
    await postIssue(ws, secret, issueEvent({ id: 'SSO-LOOP', title: 'SSO login loops', labels: ['area:login'], accountExternalIds: [] }));
    for (const input of [
      { title: 'Downloading invoices', body: 'Download any invoice as a PDF from Billing > Invoices: open the invoice and click Download PDF.' },
      { title: 'Inviting teammates', body: 'Invite teammates from Settings > Team. Each invite uses a seat.' },
    ]) {
      dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', { input }));
    }
  });

  it("answers a question about an open bug of the asker's account, acknowledging the bug first", async () => {
    const asked = await ana('How do I download my invoice as a PDF?');
    expect(asked.decision).toBe('ANSWERED');
    expect(asked.message.text).toMatch(new RegExp(`^${ACKNOWLEDGED}: "Invoice PDF download fails"\\.\\n\\n`));
    expect(asked.message.text).toContain('Billing > Invoices');
    expect(asked.message.citations).toHaveLength(1);
    expect(await outboxPayload(asked.message.id)).toMatchObject({ knownIssue: 'Invoice PDF download fails', decision: 'answered' });
  });

  it('hands a question about an open bug that knowledge cannot answer off as KNOWN_ISSUE, telling the customer a person follows up', async () => {
    const asked = await ana('My CSV export keeps timing out');
    expect(asked).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'KNOWN_ISSUE' });
    expect(asked.message.text).toBe(`${ACKNOWLEDGED}: "CSV export times out". I've passed your question to our support team, and someone will follow up here shortly.`);
    expect(await outboxPayload(asked.message.id)).toMatchObject({ knownIssue: 'CSV export times out', handOffReason: 'known_issue' });
    // The agent sees why, and which bug.
    const view = dataOf(await ws.as('agent', HAND_OFF, { id: asked.conversation.id })).conversation.handOff;
    expect(view).toMatchObject({
      reason: 'KNOWN_ISSUE',
      explanation: 'The question is about an open bug that affects the customer: "CSV export times out"',
      askerContext: { knownIssue: { title: 'CSV export times out', url: 'https://tracker.example/issue/ENG-1' } },
    });
    // The warehouse takes the payload's new key in its stride: the hand-off is counted under its reason.
    const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const reasons = await eventually(
      async () => dataOf(await ws.as('analyst', SUPPORT, { input: range })).workspace.support.handOffReasons as Array<{ reason: string; count: number }>,
      (found) => found.some((r) => r.reason === 'known_issue'),
    );
    expect(reasons).toContainEqual({ reason: 'known_issue', count: expect.any(Number) });
  });

  it('does not acknowledge a bug in a question about something else, even one sharing a word with it', async () => {
    const unrelated = await ana('How do I invite a teammate?');
    expect(unrelated.decision).toBe('ANSWERED');
    expect(unrelated.message.text).not.toContain(ACKNOWLEDGED);
    expect(await outboxPayload(unrelated.message.id)).toMatchObject({ knownIssue: '' });
    const sharesAWord = await ana('Can I change the currency on my invoice?');
    expect(sharesAWord.handOffReason).not.toBe('KNOWN_ISSUE');
    expect(sharesAWord.message.text).not.toContain(ACKNOWLEDGED);
  });

  it("does not acknowledge another account's bug to a customer it does not affect", async () => {
    const asked = await bob('How do I download my invoice as a PDF?', '/settings/profile');
    expect(asked.decision).toBe('ANSWERED');
    expect(asked.message.text).not.toContain(ACKNOWLEDGED);
    const handedOff = await bob('My CSV export keeps timing out');
    expect(handedOff.decision).toBe('HANDED_OFF');
    expect(handedOff.handOffReason).not.toBe('KNOWN_ISSUE');
    expect(handedOff.message.text).not.toContain(ACKNOWLEDGED);
    expect(await outboxPayload(handedOff.message.id)).toMatchObject({ knownIssue: '' });
  });

  it('acknowledges a bug in a product area to anyone asking about it from a page in that area, and only there', async () => {
    // No knowledge covers SSO: both asks are handed off, and only the one from the login area over the known issue.
    const onLoginPage = await bob('My SSO login keeps looping back to the start', 'https://app.example/login');
    expect(onLoginPage).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'KNOWN_ISSUE' });
    expect(onLoginPage.message.text).toContain(`${ACKNOWLEDGED}: "SSO login loops"`);
    const elsewhere = await bob('My SSO login keeps looping back to the start', '/billing');
    expect(elsewhere.decision).toBe('HANDED_OFF');
    expect(elsewhere.handOffReason).not.toBe('KNOWN_ISSUE');
    expect(elsewhere.message.text).not.toContain(ACKNOWLEDGED);
  });
});
