/**
 * `npm start -- --demo` on the real stack: the seeding `npm start` runs, then the printed curl commands run as a
 * user would paste them (bash, curl), and do what their titles say.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { SeededDemo, seedDemo } from '../../deploy/local/demo/seed-demo';
import { dataOf, graphql } from '../helpers/graphql';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';

jest.setTimeout(240_000);

let env: TestStack;
const dataDirs: string[] = [];

beforeAll(async () => {
  env = await startTestStack();
});

afterAll(async () => {
  await env?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loopdesk-demo-'));
  dataDirs.push(dir);
  return dir;
}

function seed(dataDir: string, datasetsDir?: string): Promise<SeededDemo> {
  return seedDemo({ gatewayUrl: env.gatewayUrl, accountContextUrl: env.stack.urls['account-context'], hmacSecret: env.hmacSecret, dataDir, repoRoot: REPO_ROOT, datasetsDir });
}

/** Runs a printed command as pasted into a shell and parses what curl printed. */
async function paste(command: string): Promise<{ data?: any; errors?: Array<{ message: string }> }> {
  const { stdout } = await promisify(execFile)('bash', ['-c', command]);
  return JSON.parse(stdout);
}

/** The data of a pasted command that should succeed. */
async function pasted(command: string): Promise<any> {
  const body = await paste(command);
  if (body.errors?.length || !body.data) throw new Error(`the pasted command failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function askAsWidget(demo: SeededDemo, text: string) {
  return dataOf(await graphql(env.gatewayUrl, 'mutation($input: AskInput!) { ask(input: $input) { decision message { text citations { knowledgeItem { kind } } } } }', { input: { text } }, { apiKey: demo.keys.widget })).ask;
}

describe('npm start -- --demo', () => {
  it('seeds the shipped sample when no data set is there, and each printed command works as pasted', async () => {
    const dataDir = newDataDir();
    const demo = await seed(dataDir, path.join(dataDir, 'no-datasets-here'));
    expect(demo).toMatchObject({ created: true, source: 'sample' });
    expect(demo.imported).toMatch(/^Imported 8 articles .*: 8 created/);
    expect(statSync(path.join(dataDir, 'demo.json')).mode & 0o777).toBe(0o600);
    const [ask, correct, insights] = demo.commands.map((c) => c.command);

    // 1: the paraphrase of a taught question is answered from the learned answer.
    const asked = (await pasted(ask!)).ask;
    expect(asked.decision).toBe('ANSWERED');
    expect(asked.message.citations[0].knowledgeItem.kind).toBe('LEARNED_ANSWER');
    expect(asked.message.text).toContain('50% off');
    // What a customer may read of the item its answer cited: its text, not where it was learned or how it is targeted.
    const CITED = 'mutation($input: AskInput!) { ask(input: $input) { conversation { id } message { citations { knowledgeItem { title body learnedFrom { agent conversationId } externalKey } } } } }';
    const cited = await graphql(env.gatewayUrl, CITED, { input: { text: demo.script.corrections[0]!.paraphrase } }, { apiKey: demo.keys.widget });
    const item = cited.data?.ask.message.citations[0].knowledgeItem;
    expect(item).toEqual({ title: expect.any(String), body: expect.stringContaining('50% off'), learnedFrom: null, externalKey: null });
    expect(new Set(cited.errors?.map((error) => `${error.path?.at(-1)} ${error.extensions?.code}`))).toEqual(new Set(['learnedFrom FORBIDDEN', 'externalKey FORBIDDEN']));
    // An agent reads them.
    const CITED_FOR_STAFF = 'query($id: ID!) { conversation(id: $id) { messages { citations { knowledgeItem { learnedFrom { agent } externalKey } } } } }';
    const staff = dataOf(await graphql(env.gatewayUrl, CITED_FOR_STAFF, { id: cited.data?.ask.conversation.id }, { apiKey: demo.keys.agent })).conversation;
    expect(staff.messages.flatMap((m: { citations: Array<{ knowledgeItem: unknown }> }) => m.citations.map((c) => c.knowledgeItem))).toContainEqual({ learnedFrom: { agent: expect.any(String) }, externalKey: null });

    // 2: the agent's correction of the open question is learned, and its rewording is answered from it.
    expect((await pasted(correct!)).correctAnswer).toMatchObject({ learning: 'CREATED', learnedAnswer: { status: 'PUBLISHED' } });
    const after = await askAsWidget(demo, demo.script.openQuestion.paraphrase);
    expect(after.decision).toBe('ANSWERED');
    expect(after.message.citations[0].knowledgeItem.kind).toBe('LEARNED_ANSWER');
    expect((await paste(correct!)).errors?.[0]?.message).toMatch(/already corrected/);

    // 3: the insights query sees the demo's questions once the relay has moved them to the warehouse.
    const expected = demo.script.corrections.length + 1;
    const deadline = Date.now() + 60_000;
    let activity = (await pasted(insights!)).workspace.activity;
    while (activity.questions < expected && Date.now() < deadline) {
      await sleep(200);
      activity = (await pasted(insights!)).workspace.activity;
    }
    expect(activity.questions).toBeGreaterThanOrEqual(expected);
    expect(activity.answered + activity.handedOff).toBe(activity.questions);
  });

  it('a second start reuses the demo workspace and hands off a fresh question', async () => {
    const dataDir = newDataDir();
    const first = await seed(dataDir, dataDir);
    const second = await seed(dataDir, dataDir);
    expect(second).toMatchObject({ created: false, workspaceId: first.workspaceId, keys: first.keys });
    expect(second.openMessageId).not.toBe(first.openMessageId);
    expect(second.openAnswered).toBe(false);
    expect((await pasted(second.commands[1]!.command)).correctAnswer.learning).toMatch(/^(CREATED|VARIANT_ADDED)$/);
    // Taught now: a third start finds the open question answered, and its command 2 asks the rewording instead of
    // correcting an answer that needs none (which posted the same answer to the customer again).
    const third = await seed(dataDir, dataDir);
    expect(third.openAnswered).toBe(true);
    expect(third.commands[1]!.title).toContain('taught on an earlier start');
    expect(third.commands[1]!.command).toContain(third.keys.widget);
    const asked = (await pasted(third.commands[1]!.command)).ask;
    expect(asked.decision).toBe('ANSWERED');
    expect(asked.message.citations[0].knowledgeItem.kind).toBe('LEARNED_ANSWER');
  });

  it('seeds banking77 from ../shared/datasets, and its printed ask is answered from what was taught', async () => {
    const demo = await seed(newDataDir());
    expect(demo.source).toBe('banking77');
    expect(demo.imported).toMatch(/^Imported 77 articles .*: 77 created/);
    const asked = (await pasted(demo.commands[0]!.command)).ask;
    expect(asked.decision).toBe('ANSWERED');
    expect(asked.message.citations[0].knowledgeItem.kind).toBe('LEARNED_ANSWER');
    expect(asked.message.text).toContain('single holder');
  });
});
