/**
 * Runs the account-context subgraph in-process on a throwaway database of the machine's Postgres, and talks
 * to it the way its callers do: GraphQL with a signed context header, and signed webhooks.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { loadAccountContextConfig } from '../../services/account-context/config';
import { startAccountContext } from '../../services/account-context/index';
import type { AccountContextServices } from '../../services/account-context/schema';
import { signWebhook } from '../../services/account-context/webhook/webhook-signature';
import type { RunningService } from '../../services/shared/postgres-subgraph';
import { CONTEXT_HEADER, Role, signContext } from '../../services/shared/request-context';
import { newKeyEncryptionKey } from '../../services/shared/secret-envelope';
import { createThrowawayDatabase } from '../helpers/database';
import { GraphQLResult, graphql } from '../helpers/graphql';


export interface WebhookRequest {
  /** The path segment: billing, crm or bug-tracker. */
  provider: string;
  workspaceId: string;
  secret: string;
  body: unknown;
  deliveryId?: string;
  /** Unix seconds to sign with; now by default. */
  timestamp?: number;
  /** Sent instead of a correct signature. */
  signature?: string;
}

export interface WebhookResponse {
  status: number;
  body: any;
}

export interface AccountContextHarness {
  baseUrl: string;
  databaseUrl: string;
  hmacSecret: string;
  /** SECRETS_ENCRYPTION_KEYS the service runs with. */
  secretsEncryptionKeys: string;
  services: AccountContextServices;
  /** Reads for assertions, straight from the service's tables. */
  db: Pool;
  createWorkspace(name?: string): Promise<string>;
  /** A request as the gateway would sign it; `personalData` is the analyst grant the gateway forwards. */
  graphql<T = any>(workspaceId: string, role: Role, query: string, variables?: Record<string, unknown>, extra?: { personalData?: boolean }): Promise<GraphQLResult<T>>;
  createWebhookSecret(workspaceId: string, provider: 'BILLING' | 'CRM' | 'BUG_TRACKER'): Promise<string>;
  postWebhook(request: WebhookRequest): Promise<WebhookResponse>;
  /** Row counts of every table a webhook or an upsert can write, to prove that nothing was. */
  writeCounts(workspaceId: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** env: extra account-context variables (AUTH_REVOCATION_LEASE_MS, CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS, …). */
async function startAccountContextHarness(env: Record<string, string> = {}): Promise<AccountContextHarness> {
  const database = await createThrowawayDatabase('loopdesk_it');
  const databaseUrl = database.url;
  const hmacSecret = randomBytes(32).toString('hex');
  const secretsEncryptionKeys = newKeyEncryptionKey('it1');
  let running: RunningService<AccountContextServices> | undefined;
  let db: Pool | undefined;
  const cleanUp = async () => {
    await running?.stop();
    await db?.end();
    await database.drop();
  };
  try {
    running = await startAccountContext(
      loadAccountContextConfig({
        INTERNAL_HMAC_SECRET: hmacSecret,
        DATABASE_URL: databaseUrl,
        SECRETS_ENCRYPTION_KEYS: secretsEncryptionKeys,
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
        AUTH_REVOCATION_LEASE_MS: '100',
        ...env,
      }),
      '127.0.0.1',
    );
    db = new Pool({ connectionString: databaseUrl, max: 2 });
    // Dropping the database at teardown terminates idle connections; that is expected, not a test failure.
    db.on('error', () => undefined);
    const baseUrl = `http://127.0.0.1:${running.port}`;
    const services = running.services;
    const pool = db;

    const harness: AccountContextHarness = {
      baseUrl,
      databaseUrl,
      hmacSecret,
      secretsEncryptionKeys,
      services,
      db: pool,
      async createWorkspace(name = 'Integration test workspace') {
        return (await services.workspaces.createWorkspace(name)).workspace.id;
      },
      graphql(workspaceId, role, query, variables = {}, extra = {}) {
        const header = signContext({ workspaceId, role, subject: `test:${role}`, requestId: randomBytes(8).toString('hex'), ...extra }, hmacSecret);
        return graphql(`${baseUrl}/graphql`, query, variables, { headers: { [CONTEXT_HEADER]: header } });
      },
      async createWebhookSecret(workspaceId, provider) {
        const result = await harness.graphql(workspaceId, 'admin', 'mutation($input: CreateWebhookSecretInput!) { createWebhookSecret(input: $input) { secret } }', {
          input: { provider },
        });
        if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
        return result.data.createWebhookSecret.secret as string;
      },
      async postWebhook(request) {
        const raw = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
        const response = await fetch(`${baseUrl}/webhooks/${request.provider}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-loopdesk-workspace': request.workspaceId,
            'x-loopdesk-delivery': request.deliveryId ?? `dlv_${randomBytes(8).toString('hex')}`,
            'x-loopdesk-signature': request.signature ?? signWebhook(request.secret, raw, request.timestamp),
          },
          body: raw,
        });
        return { status: response.status, body: await response.json() };
      },
      async writeCounts(workspaceId) {
        const tables = ['accounts', 'customers', 'bugs', 'webhook_deliveries', 'outbox_events'];
        const counts: Record<string, number> = {};
        for (const table of tables) {
          const { rows } = await pool.query(`SELECT count(*)::int AS n FROM account_context.${table} WHERE workspace_id = $1`, [workspaceId]);
          counts[table] = rows[0].n;
        }
        return counts;
      },
      stop: cleanUp,
    };
    return harness;
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

/**
 * The harness for one test file: started before its tests, stopped after them. beforeAll fills the object in,
 * so read it inside tests and hooks. env as for startAccountContextHarness.
 */
export function useAccountContextHarness(env: Record<string, string> = {}): AccountContextHarness {
  const harness = {} as AccountContextHarness;
  beforeAll(async () => {
    Object.assign(harness, await startAccountContextHarness(env));
  });
  afterAll(async () => {
    await harness.stop?.();
  });
  return harness;
}

/** The outbox events of a workspace, oldest first. */
export async function outboxEvents(db: Pool, workspaceId: string): Promise<Array<{ type: string; payload: any }>> {
  const { rows } = await db.query(`SELECT type, payload FROM account_context.outbox_events WHERE workspace_id = $1 ORDER BY position`, [workspaceId]);
  return rows;
}
