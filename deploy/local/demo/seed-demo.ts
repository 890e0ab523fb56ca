/**
 * `npm start -- --demo`: a workspace to try Loopdesk on at once. It imports starting knowledge (banking77's
 * help-centre articles from ../shared/datasets when present, else the small sample in deploy/local/demo/sample),
 * has signed-in customers ask questions those articles do not answer and an agent correct each answer, hands off
 * one more question, and returns ready-to-paste curl commands with the demo's own keys: an ask answered from what
 * was taught, the agent's correction of the open question, and an insights query. A later start with --demo reuses
 * the workspace (its keys are kept in <DATA_DIR>/demo.json, mode 0600) and hands off a fresh question; once the
 * open question was taught (command 2 run on an earlier start), the AI answers it, and command 2 asks its rewording
 * instead of correcting an answer that needs no correction.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { InternalGraphQLClient } from '../../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../../services/shared/request-context';
import { writePrivateFile } from '../private-paths';
import { DemoCorrection, DemoScript, banking77Script, sampleScript } from './demo-scripts';

const ROLES = ['agent', 'analyst', 'widget'] as const;
type Role = 'admin' | (typeof ROLES)[number];

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision confidence conversation { id } message { id text citations { knowledgeItem { kind title } } } }
}`;
const CORRECT = `mutation Correct($input: CorrectAnswerInput!) {
  correctAnswer(input: $input) { learning learnedAnswer { id status } }
}`;
const INSIGHTS = `query Insights($gaps: KnowledgeGapsInput!) {
  workspace { activity { questions answered handedOff automationRate } knowledgeGaps(input: $gaps) { label volume examples } }
}`;

export interface DemoOptions {
  gatewayUrl: string;
  accountContextUrl: string;
  hmacSecret: string;
  dataDir: string;
  repoRoot: string;
  /** Where banking77 is looked for; default <repoRoot>/../shared/datasets. */
  datasetsDir?: string;
  log?: (line: string) => void;
}

/** What <DATA_DIR>/demo.json keeps between starts. */
interface SavedDemo {
  workspaceId: string;
  source: string;
  keys: Record<Role, string>;
  customerTokenSecret: string;
}

export interface DemoCommand {
  /** What the command shows, as printed above it. */
  title: string;
  /** One line of shell: curl with the demo's key and a JSON body. */
  command: string;
}

export interface SeededDemo extends SavedDemo {
  created: boolean;
  /** The import's summary line, when this start created the workspace. */
  imported?: string;
  script: DemoScript;
  /** The AI message of the open question: what the correction command corrects, when it was handed off. */
  openMessageId: string;
  /** The open question was answered: it was taught on an earlier start, so there is nothing to correct. */
  openAnswered: boolean;
  commands: DemoCommand[];
}

class GatewayError extends Error {}

async function gateway<T>(url: string, key: string, query: string, variables: Record<string, unknown>, customerToken?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(customerToken ? { 'x-customer-token': customerToken } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length || !body.data) throw new GatewayError(body.errors?.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') ?? `HTTP ${response.status}`);
  return body.data;
}

function customerToken(secret: string, customerId: string): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(customerId).setIssuedAt().setExpirationTime('10m').sign(Buffer.from(secret));
}

/** Single-quotes for a POSIX shell: safe for any text, apostrophes included. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function curl(gatewayUrl: string, key: string, query: string, variables: Record<string, unknown>): string {
  const body = JSON.stringify({ query: query.replace(/\s+/g, ' ').trim(), variables });
  return `curl -s ${gatewayUrl} -H ${shellQuote(`authorization: Bearer ${key}`)} -H 'content-type: application/json' -d ${shellQuote(body)}`;
}

function demoCommands(gatewayUrl: string, demo: Pick<SeededDemo, 'keys' | 'script' | 'openMessageId' | 'openAnswered'>, now = new Date()): DemoCommand[] {
  const taught = demo.script.corrections[0]!;
  const open = demo.script.openQuestion;
  const dayMs = 86_400_000;
  return [
    {
      title: `A customer asks (widget key), in other words than the question an agent answered ("${taught.question}"): answered from the learned answer`,
      command: curl(gatewayUrl, demo.keys.widget, ASK, { input: { text: taught.paraphrase } }),
    },
    demo.openAnswered
      ? {
          title: `"${open.question}" was taught on an earlier start (this command corrected it then), so the AI answers it now: a customer asks it in other words (widget key)`,
          command: curl(gatewayUrl, demo.keys.widget, ASK, { input: { text: open.paraphrase } }),
        }
      : {
          title: `An agent corrects the AI's reply to "${open.question}" (agent key); then ask "${open.paraphrase}" with command 1`,
          command: curl(gatewayUrl, demo.keys.agent, CORRECT, { input: { messageId: demo.openMessageId, correctedText: open.answer } }),
        },
    {
      title: 'What the support traffic says (analyst key): activity over the last 30 days and the knowledge gaps of the last week',
      command: curl(gatewayUrl, demo.keys.analyst, INSIGHTS, { gaps: { from: new Date(now.getTime() - 7 * dayMs).toISOString(), to: new Date(now.getTime() + dayMs).toISOString() } }),
    },
  ];
}

async function loadSaved(file: string, gatewayUrl: string): Promise<SavedDemo | undefined> {
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(await readFile(file, 'utf8')) as SavedDemo;
  try {
    await gateway(gatewayUrl, saved.keys.admin, '{ workspace { id } }', {});
    return saved;
  } catch (error) {
    // A database started afresh no longer knows the saved keys: seed a new workspace.
    if (error instanceof GatewayError) return undefined;
    throw error;
  }
}

async function createWorkspace(options: DemoOptions, script: DemoScript): Promise<SavedDemo> {
  const accountContext = new InternalGraphQLClient(options.accountContextUrl, options.hmacSecret);
  const { createWorkspace: created } = await accountContext.request<{ createWorkspace: { workspace: { id: string }; adminKey: string; customerTokenSecret: string } }>(
    'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } adminKey customerTokenSecret } }',
    { input: { name: `Loopdesk demo (${script.name})` } },
    { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'service:demo' },
  );
  const keys: Record<Role, string> = { admin: created.adminKey, agent: '', analyst: '', widget: '' };
  for (const role of ROLES) {
    const { createApiKey } = await gateway<{ createApiKey: { secret: string } }>(
      options.gatewayUrl,
      keys.admin,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { role: role.toUpperCase(), label: `demo ${role}` } },
    );
    keys[role] = createApiKey.secret;
  }
  return { workspaceId: created.workspace.id, source: script.name, keys, customerTokenSecret: created.customerTokenSecret };
}

interface Asked {
  ask: { decision: string; message: { id: string } };
}

/** `npm run import`, the command a user would run, from dist/; returns its summary line. */
async function importKnowledge(options: DemoOptions, adminKey: string, folder: string): Promise<string> {
  const cli = path.join(options.repoRoot, 'dist', 'services', 'knowledge', 'import', 'import-cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--folder', folder, '--gateway', options.gatewayUrl], {
    cwd: options.repoRoot,
    // The key goes in the environment, not on a command line other users of the machine can list.
    env: { ...process.env, LOOPDESK_ADMIN_KEY: adminKey },
  });
  return stdout.trim().split('\n').pop() ?? '';
}

async function askAsCustomer(options: DemoOptions, demo: SavedDemo, question: string, customerId: string): Promise<Asked['ask']> {
  const token = await customerToken(demo.customerTokenSecret, customerId);
  return (await gateway<Asked>(options.gatewayUrl, demo.keys.widget, ASK, { input: { text: question, channel: 'demo' } }, token)).ask;
}

async function teach(options: DemoOptions, demo: SavedDemo, correction: DemoCorrection, customerId: string): Promise<void> {
  const asked = await askAsCustomer(options, demo, correction.question, customerId);
  await gateway(options.gatewayUrl, demo.keys.agent, CORRECT, { input: { messageId: asked.message.id, correctedText: correction.answer } });
}

export async function seedDemo(options: DemoOptions): Promise<SeededDemo> {
  const log = options.log ?? (() => undefined);
  const datasetsDir = options.datasetsDir ?? path.join(options.repoRoot, '..', 'shared', 'datasets');
  const script = existsSync(path.join(datasetsDir, 'banking77', 'kb.jsonl')) ? banking77Script(datasetsDir) : sampleScript(options.repoRoot);
  const file = path.join(options.dataDir, 'demo.json');
  let demo = await loadSaved(file, options.gatewayUrl);
  const created = !demo;
  let imported: string | undefined;
  if (!demo) {
    demo = await createWorkspace(options, script);
    await writePrivateFile(file, JSON.stringify(demo, null, 2));
    log(`demo: workspace ${demo.workspaceId} created; importing ${script.folder}`);
    imported = await importKnowledge(options, demo.keys.admin, script.folder);
    log(`demo: ${imported}`);
    for (const [i, correction] of script.corrections.entries()) {
      log(`demo: teaching correction ${i + 1}/${script.corrections.length}: "${correction.question}"`);
      await teach(options, demo, correction, `demo-customer-${i + 1}`);
    }
  } else {
    log(`demo: reusing workspace ${demo.workspaceId} (keys in ${file})`);
  }
  const open = await askAsCustomer(options, demo, script.openQuestion.question, `demo-customer-open-${Date.now()}`);
  const seeded = { ...demo, created, imported, script, openMessageId: open.message.id, openAnswered: open.decision === 'ANSWERED' };
  return { ...seeded, commands: demoCommands(options.gatewayUrl, seeded) };
}

/** The lines `npm start -- --demo` prints. */
export function describeDemo(demo: SeededDemo, dataDir: string): string[] {
  return [
    `Demo workspace (${demo.workspaceId}): starting knowledge from ${demo.script.folder}; ${demo.script.corrections.length} answers taught by agent corrections.`,
    `Its keys are in ${path.join(dataDir, 'demo.json')}: admin ${demo.keys.admin}`,
    `  agent ${demo.keys.agent}   analyst ${demo.keys.analyst}   widget ${demo.keys.widget}`,
    `  customer token secret ${demo.customerTokenSecret} (signs end-customer tokens for this workspace only)`,
    '',
    ...demo.commands.flatMap(({ title, command }, i) => [`# ${i + 1}. ${title}`, command, '']),
  ];
}
