/**
 * Starts the whole Loopdesk stack for end-to-end tests: the real processes from dist/ (npm test builds
 * first), a fresh database on the machine's Postgres, a Temporal dev server, chDB in a temp directory, and
 * free ports. Uses deploy/local/stack.ts, the same code as `npm start`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../deploy/local/free-port';
import { REPO_ROOT } from './repo-root';
import { RunningStack, startStack } from '../../deploy/local/stack';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';
import { newKeyEncryptionKey } from '../../services/shared/secret-envelope';
import { createThrowawayDatabase } from './database';
import { TestTemporal, startTestTemporal } from './temporal';


export interface TestStack {
  stack: RunningStack;
  gatewayUrl: string;
  hmacSecret: string;
  databaseUrl: string;
  temporalAddress: string;
  temporal: TestTemporal;
  workspaceId: string;
  adminKey: string;
  /** Creates workspaces (createTestWorkspace); minted like `npm run operator -- create-key` does. */
  operatorKey: string;
  customerTokenSecret: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestStack(extraEnv: Record<string, string> = {}): Promise<TestStack> {
  const database = await createThrowawayDatabase('loopdesk_e2e');
  const databaseUrl = database.url;
  const temporal = await startTestTemporal();
  const warehouseDir = mkdtempSync(path.join(tmpdir(), 'loopdesk-e2e-warehouse-'));
  const hmacSecret = randomBytes(32).toString('hex');
  const logs: string[] = [];
  const names = ['gateway', 'conversation', 'knowledge', 'account-context', 'insights', 'worker'] as const;
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()] as const)));
  let stack: RunningStack | undefined;
  const cleanUp = async () => {
    await stack?.stop();
    await temporal.stop();
    rmSync(warehouseDir, { recursive: true, force: true });
    await database.drop();
  };
  try {
    stack = await startStack({
      repoRoot: REPO_ROOT,
      databaseUrl,
      temporalAddress: temporal.address,
      warehouse: { path: path.join(warehouseDir, 'warehouse') },
      hmacSecret,
      secretsEncryptionKeys: newKeyEncryptionKey('e2e'),
      ports,
      logLevel: 'warn',
      onLog: (name, line) => {
        // Errors and warnings reach the test output, so a masked INTERNAL_SERVER_ERROR can be diagnosed.
        if (/"level":(40|50|60)/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
        logs.push(line);
        if (logs.length > 2_000) logs.shift();
      },
      extraEnv: { AUTH_CACHE_TTL_MS: '0', RELAY_INTERVAL_MS: '100', ...extraEnv },
    });
    const accountContext = new InternalGraphQLClient(stack.urls['account-context'], hmacSecret);
    const created = await accountContext.request<{ bootstrapWorkspace: { workspace: { id: string }; adminKey: string; customerTokenSecret: string } | null }>(
      'mutation { bootstrapWorkspace(name: "E2E workspace") { workspace { id } adminKey customerTokenSecret } }',
      {},
      { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'test:e2e' },
    );
    if (!created.bootstrapWorkspace) throw new Error('a fresh database already had a workspace');
    const operator = await accountContext.request<{ createOperatorKey: { secret: string } }>(
      'mutation { createOperatorKey(label: "e2e operator") { secret } }',
      {},
      { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'test:e2e' },
    );
    return {
      stack,
      gatewayUrl: stack.gatewayUrl,
      hmacSecret,
      databaseUrl,
      temporalAddress: temporal.address,
      temporal,
      workspaceId: created.bootstrapWorkspace.workspace.id,
      adminKey: created.bootstrapWorkspace.adminKey,
      operatorKey: operator.createOperatorKey.secret,
      customerTokenSecret: created.bootstrapWorkspace.customerTokenSecret,
      logs,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}
