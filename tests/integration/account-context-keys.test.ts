/**
 * Keys, tokens and stored secrets against real Postgres: revocation reaching every gateway replica at once
 * (two Authenticators, as two gateways hold them, with long-lived caches), the last admin key, operator-only
 * workspace creation, customer token lifetime, the analysts' personal-data grant, and sealed secrets with
 * key rotation.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { Authenticator, Caller } from '../../gateway/authenticator';
import { loadAccountContextConfig } from '../../services/account-context/config';
import { startAccountContext } from '../../services/account-context/index';
import { DomainError } from '../../services/shared/errors';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';
import { newKeyEncryptionKey } from '../../services/shared/secret-envelope';
import { REPO_ROOT } from '../helpers/repo-root';
import { useAccountContextHarness } from './account-context-harness';

const execFileAsync = promisify(execFile);

jest.setTimeout(90_000);

const LEASE_MS = 400;
const sut = useAccountContextHarness({ AUTH_REVOCATION_LEASE_MS: String(LEASE_MS) });
const replicas: Authenticator[] = [];

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
});

/** A gateway's authenticator with a cache that would hold verdicts for a minute. */
function gatewayReplica(): Authenticator {
  const replica = new Authenticator(new InternalGraphQLClient(`${sut.baseUrl}/graphql`, sut.hmacSecret), { cacheTtlMs: 60_000, leaseMs: LEASE_MS });
  replicas.push(replica);
  return replica;
}

async function verdict(replica: Authenticator, key: string, customerToken?: string): Promise<Caller | string> {
  try {
    return await replica.authenticate(key, customerToken, randomBytes(4).toString('hex'));
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** Until the replica has read the revocation epoch once, it verifies every request and caches nothing. */
async function warmedUp(replica: Authenticator, key: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    await verdict(replica, key);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 4));
    if (((replica as unknown as { cache: Map<string, unknown> }).cache.size ?? 0) > 0) return;
  }
  throw new Error('the replica never cached a verdict');
}

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }';
const REVOKE_KEY = 'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id revokedAt } }';

async function createKey(workspaceId: string, role: 'WIDGET' | 'AGENT' | 'ANALYST' | 'ADMIN'): Promise<{ id: string; secret: string }> {
  const result = await sut.graphql(workspaceId, 'admin', CREATE_KEY, { input: { role, label: role.toLowerCase() } });
  expect(result.errors).toBeUndefined();
  return { id: result.data.createApiKey.apiKey.id, secret: result.data.createApiKey.secret };
}

describe('revocation', () => {
  it('a revoked key is refused by every gateway replica on the very next request, though both had it cached', async () => {
    const workspaceId = await sut.createWorkspace();
    const key = await createKey(workspaceId, 'AGENT');
    const [first, second] = [gatewayReplica(), gatewayReplica()];
    await warmedUp(first, key.secret);
    await warmedUp(second, key.secret);
    expect(await verdict(first, key.secret)).toMatchObject({ workspaceId, role: 'agent' });

    const revoked = await sut.graphql(workspaceId, 'admin', REVOKE_KEY, { input: { id: key.id } });
    expect(revoked.errors).toBeUndefined();

    expect(await verdict(first, key.secret)).toMatch(/^UNAUTHENTICATED: .*revoked/);
    expect(await verdict(second, key.secret)).toMatch(/^UNAUTHENTICATED: .*revoked/);
  });

  it('verdicts are served from the cache until the epoch moves (the hot path costs no round trip)', async () => {
    const workspaceId = await sut.createWorkspace();
    const key = await createKey(workspaceId, 'WIDGET');
    const replica = gatewayReplica();
    await warmedUp(replica, key.secret);
    // Revoked behind account-context's back, without the epoch: only the cache can still say yes.
    await sut.db.query('UPDATE account_context.api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    expect(await verdict(replica, key.secret)).toMatchObject({ workspaceId, role: 'widget' });

    await sut.db.query('UPDATE account_context.auth_epoch SET value = value + 1');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    expect(await verdict(replica, key.secret)).toMatch(/^UNAUTHENTICATED/);
  });

  it('a gateway that cannot read the epoch stops trusting its cache within a lease', async () => {
    const workspaceId = await sut.createWorkspace();
    const key = await createKey(workspaceId, 'AGENT');
    const replicaOfService = await startAccountContext(
      loadAccountContextConfig({
        INTERNAL_HMAC_SECRET: sut.hmacSecret,
        DATABASE_URL: sut.databaseUrl,
        SECRETS_ENCRYPTION_KEYS: sut.secretsEncryptionKeys,
        AUTH_REVOCATION_LEASE_MS: String(LEASE_MS),
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
      }),
      '127.0.0.1',
    );
    const replica = new Authenticator(new InternalGraphQLClient(`http://127.0.0.1:${replicaOfService.port}/graphql`, sut.hmacSecret), { cacheTtlMs: 60_000, leaseMs: LEASE_MS });
    replicas.push(replica);
    try {
      await warmedUp(replica, key.secret);
    } finally {
      await replicaOfService.stop();
    }
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    expect(await verdict(replica, key.secret)).toMatch(/^UNAVAILABLE/);
  });

  it('revoking a key of another workspace is NOT_FOUND and leaves the key working', async () => {
    const workspaceId = await sut.createWorkspace();
    const other = await sut.createWorkspace();
    const key = await createKey(workspaceId, 'AGENT');
    const result = await sut.graphql(other, 'admin', REVOKE_KEY, { input: { id: key.id } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await verdict(gatewayReplica(), key.secret)).toMatchObject({ workspaceId });
  });

  it.each(['agent', 'analyst', 'widget'] as const)('the %s role cannot revoke keys (FORBIDDEN)', async (role) => {
    const workspaceId = await sut.createWorkspace();
    const key = await createKey(workspaceId, 'AGENT');
    expect((await sut.graphql(workspaceId, role, REVOKE_KEY, { input: { id: key.id } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the last admin key', () => {
  const adminKeys = async (workspaceId: string) =>
    (await sut.db.query(`SELECT id FROM account_context.api_keys WHERE workspace_id = $1 AND role = 'admin' AND revoked_at IS NULL`, [workspaceId])).rows.map(
      (row: { id: string }) => row.id,
    );

  it('cannot be revoked: CONFLICT, and the key still works', async () => {
    const workspaceId = await sut.createWorkspace();
    const [only] = await adminKeys(workspaceId);
    const result = await sut.graphql(workspaceId, 'admin', REVOKE_KEY, { input: { id: only } });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toMatch(/last active admin key/);
    expect(await adminKeys(workspaceId)).toEqual([only]);
  });

  it('of two admin keys revoked at the same time, exactly one is revoked', async () => {
    const workspaceId = await sut.createWorkspace();
    await createKey(workspaceId, 'ADMIN');
    const both = await adminKeys(workspaceId);
    expect(both).toHaveLength(2);
    const results = await Promise.all(both.map((id) => sut.graphql(workspaceId, 'admin', REVOKE_KEY, { input: { id } })));
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    expect(await adminKeys(workspaceId)).toHaveLength(1);
  });

  it('another admin key can be revoked while one remains', async () => {
    const workspaceId = await sut.createWorkspace();
    const second = await createKey(workspaceId, 'ADMIN');
    expect((await sut.graphql(workspaceId, 'admin', REVOKE_KEY, { input: { id: second.id } })).errors).toBeUndefined();
  });
});

describe('workspace creation', () => {
  const CREATE_WORKSPACE = 'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id name } adminKey } }';
  const system = () => new InternalGraphQLClient(`${sut.baseUrl}/graphql`, sut.hmacSecret);
  const mintOperatorKey = async () =>
    (
      await system().request<{ createOperatorKey: { id: string; secret: string } }>('mutation { createOperatorKey(label: "ops") { id secret } }', {}, {
        workspaceId: SYSTEM_WORKSPACE,
        role: 'system',
        subject: 'test',
      })
    ).createOperatorKey;

  it.each(['admin', 'agent', 'analyst', 'widget'] as const)('is FORBIDDEN to a workspace %s', async (role) => {
    const workspaceId = await sut.createWorkspace();
    const result = await sut.graphql(workspaceId, role, CREATE_WORKSPACE, { input: { name: 'Sneaky' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { rows } = await sut.db.query(`SELECT count(*)::int AS n FROM account_context.workspaces WHERE name = 'Sneaky'`);
    expect(rows[0].n).toBe(0);
  });

  it('works with an operator key minted on the server, which authenticates as the operator role and nothing else', async () => {
    const operatorKey = await mintOperatorKey();
    const caller = await verdict(gatewayReplica(), operatorKey.secret);
    expect(caller).toEqual({ workspaceId: SYSTEM_WORKSPACE, role: 'operator', subject: `key:${operatorKey.id}` });
    const created = await sut.graphql(SYSTEM_WORKSPACE, 'operator', CREATE_WORKSPACE, { input: { name: 'Made by ops' } });
    expect(created.errors).toBeUndefined();
    expect(created.data.createWorkspace.adminKey).toMatch(/^ldk_admin_/);
    // An operator reads no workspace's data.
    expect((await sut.graphql(SYSTEM_WORKSPACE, 'operator', '{ workspace { id } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await sut.graphql(created.data.createWorkspace.workspace.id, 'operator', '{ workspace { id } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('an operator key with a customer token is refused, and a revoked operator key stops working', async () => {
    const operatorKey = await mintOperatorKey();
    expect(await verdict(gatewayReplica(), operatorKey.secret, 'a.b.c')).toMatch(/^UNAUTHENTICATED: An operator key/);
    await system().request('mutation($id: ID!) { revokeOperatorKey(id: $id) }', { id: operatorKey.id }, { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'test' });
    expect(await verdict(gatewayReplica(), operatorKey.secret)).toMatch(/^UNAUTHENTICATED/);
  });

  it('the server CLI mints an operator key that authenticates as the operator, creates workspaces, and needs the internal secret', async () => {
    const cli = (args: string[], hmacSecret = sut.hmacSecret) =>
      execFileAsync(process.execPath, [path.join(REPO_ROOT, 'dist', 'services', 'account-context', 'workspace', 'operator-cli.js'), ...args], {
        env: { ...process.env, INTERNAL_HMAC_SECRET: hmacSecret, ACCOUNT_CONTEXT_URL: `${sut.baseUrl}/graphql` },
      });
    const minted = await cli(['create-key', 'ops', 'team']);
    const secret = minted.stdout.trim().split('\n').at(-1)!;
    expect(secret).toMatch(/^ldk_operator_/);
    expect(await verdict(gatewayReplica(), secret)).toMatchObject({ role: 'operator', workspaceId: SYSTEM_WORKSPACE });

    const created = await cli(['create-workspace', 'Made on the server', 'Europe/Paris']);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)?.[1];
    const { rows } = await sut.db.query('SELECT name, time_zone FROM account_context.workspaces WHERE id = $1', [id]);
    expect(rows).toEqual([{ name: 'Made on the server', time_zone: 'Europe/Paris' }]);

    await expect(cli(['create-key', 'intruder'], 'a-secret-that-is-not-the-servers-000000')).rejects.toMatchObject({
      stderr: expect.stringMatching(/signature does not verify/),
    });
  });

  it('operator keys are minted only by the system role, not by an admin', async () => {
    const workspaceId = await sut.createWorkspace();
    const result = await sut.graphql(workspaceId, 'admin', 'mutation { createOperatorKey(label: "x") { secret } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asOperatorRole = await sut.graphql(workspaceId, 'admin', CREATE_KEY, { input: { role: 'OPERATOR', label: 'x' } });
    expect(asOperatorRole.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('customer tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);

  async function tokenFor(secret: string, claims: { iat?: number; exp: number }): Promise<string> {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('cust-1').setExpirationTime(claims.exp);
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    return jwt.sign(Buffer.from(secret));
  }

  async function workspaceWithWidget() {
    const created = await sut.services.workspaces.createWorkspace('Tokens');
    const widget = await createKey(created.workspace.id, 'WIDGET');
    return { secret: created.customerTokenSecret, widget: widget.secret };
  }

  it('a token living an hour, issued now, verifies', async () => {
    const { secret, widget } = await workspaceWithWidget();
    const caller = await verdict(gatewayReplica(), widget, await tokenFor(secret, { iat: now(), exp: now() + 3600 }));
    expect(caller).toMatchObject({ role: 'widget', customerId: 'cust-1', subject: 'customer:cust-1' });
  });

  it.each([
    ['expiring ten years out', () => ({ iat: now(), exp: now() + 10 * 365 * 86_400 }), /lives \d+ seconds .*at most 86400/],
    ['without iat', () => ({ exp: now() + 3600 }), /no iat claim/],
    ['issued in the future beyond the clock skew', () => ({ iat: now() + 600, exp: now() + 3600 }), /iat claim in the future/],
    ['issued longer ago than the maximum lifetime', () => ({ iat: now() - 25 * 3600, exp: now() + 3600 }), /issued more than 86400 seconds ago/],
    ['expired', () => ({ iat: now() - 7200, exp: now() - 3600 }), /has expired/],
  ])('a token %s is UNAUTHENTICATED with a message naming the rule', async (_case, claims, message) => {
    const { secret, widget } = await workspaceWithWidget();
    const result = await verdict(gatewayReplica(), widget, await tokenFor(secret, claims()));
    expect(result).toMatch(/^UNAUTHENTICATED: /);
    expect(result).toMatch(message);
  });

  it('a token issued a few seconds ahead (within the clock skew) verifies', async () => {
    const { secret, widget } = await workspaceWithWidget();
    expect(await verdict(gatewayReplica(), widget, await tokenFor(secret, { iat: now() + 20, exp: now() + 3600 }))).toMatchObject({ customerId: 'cust-1' });
  });

  it('a cached customer verdict ends when its token does, though the cache would keep it a minute', async () => {
    const { secret, widget } = await workspaceWithWidget();
    const replica = gatewayReplica();
    await warmedUp(replica, widget);
    // Past its exp, but within the 60 s clock skew account-context allows: it verifies for about two more seconds.
    const token = await tokenFor(secret, { iat: now() - 100, exp: now() - 58 });
    expect(await verdict(replica, widget, token)).toMatchObject({ customerId: 'cust-1' });
    const cached = (replica as unknown as { cache: Map<string, { expires: number }> }).cache;
    expect(cached.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await verdict(replica, widget, token)).toMatch(/^UNAUTHENTICATED: The customer token has expired/);
  });

  it("a token signed with another workspace's secret is UNAUTHENTICATED", async () => {
    const mine = await workspaceWithWidget();
    const theirs = await workspaceWithWidget();
    expect(await verdict(gatewayReplica(), mine.widget, await tokenFor(theirs.secret, { iat: now(), exp: now() + 600 }))).toMatch(/^UNAUTHENTICATED: The customer token does not verify/);
  });
});

describe("analysts and personal data", () => {
  const CUSTOMER = 'query($id: ID!) { customer(id: $id) { externalId email name } }';
  const SETTINGS = 'mutation($input: UpdateWorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { analystsSeePersonalData } }';

  async function workspaceWithCustomer() {
    const workspaceId = await sut.createWorkspace();
    const customer = await sut.graphql(workspaceId, 'admin', 'mutation { upsertCustomer(input: { externalId: "ana", email: "ana@acme.test", name: "Ana" }) { id } }');
    return { workspaceId, customerId: customer.data.upsertCustomer.id as string };
  }

  it('an analyst cannot read a customer (FORBIDDEN), an agent can', async () => {
    const { workspaceId, customerId } = await workspaceWithCustomer();
    const asAnalyst = await sut.graphql(workspaceId, 'analyst', CUSTOMER, { id: customerId });
    expect(asAnalyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(asAnalyst)).not.toContain('ana@acme.test');
    expect((await sut.graphql(workspaceId, 'agent', CUSTOMER, { id: customerId })).data.customer.email).toBe('ana@acme.test');
  });

  it("an analyst of a workspace that grants personal data reads customers; the grant reaches the analyst's verdict at once", async () => {
    const { workspaceId, customerId } = await workspaceWithCustomer();
    const analyst = await createKey(workspaceId, 'ANALYST');
    const replica = gatewayReplica();
    await warmedUp(replica, analyst.secret);
    expect(await verdict(replica, analyst.secret)).not.toHaveProperty('personalData');

    const granted = await sut.graphql(workspaceId, 'admin', SETTINGS, { input: { analystsSeePersonalData: true } });
    expect(granted.data.updateWorkspaceSettings.analystsSeePersonalData).toBe(true);
    expect(await verdict(replica, analyst.secret)).toMatchObject({ role: 'analyst', personalData: true });
    expect((await sut.graphql(workspaceId, 'analyst', CUSTOMER, { id: customerId }, { personalData: true })).data.customer.email).toBe('ana@acme.test');

    await sut.graphql(workspaceId, 'admin', SETTINGS, { input: { analystsSeePersonalData: false } });
    expect(await verdict(replica, analyst.secret)).not.toHaveProperty('personalData');
  });

  it.each(['analyst', 'agent', 'widget'] as const)('the %s role cannot change the setting (FORBIDDEN)', async (role) => {
    const { workspaceId } = await workspaceWithCustomer();
    expect((await sut.graphql(workspaceId, role, SETTINGS, { input: { analystsSeePersonalData: true } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("the setting changes only the caller's workspace", async () => {
    const { workspaceId } = await workspaceWithCustomer();
    const other = await workspaceWithCustomer();
    await sut.graphql(workspaceId, 'admin', SETTINGS, { input: { analystsSeePersonalData: true } });
    const { rows } = await sut.db.query('SELECT analysts_see_personal_data AS granted FROM account_context.workspaces WHERE id = $1', [other.workspaceId]);
    expect(rows[0].granted).toBe(false);
  });
});

describe('workspace time zone', () => {
  const ZONE = 'mutation($input: UpdateWorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { timeZone analystsSeePersonalData } }';
  const storedZone = async (workspaceId: string): Promise<string> =>
    (await sut.db.query('SELECT time_zone AS zone FROM account_context.workspaces WHERE id = $1', [workspaceId])).rows[0].zone;

  it('an admin moves the workspace to another zone, stored as IANA spells it, and other settings stay', async () => {
    const workspaceId = await sut.createWorkspace();

    const moved = await sut.graphql(workspaceId, 'admin', ZONE, { input: { timeZone: 'america/sao_paulo' } });

    expect(moved.errors).toBeUndefined();
    expect(moved.data.updateWorkspaceSettings).toEqual({ timeZone: 'America/Sao_Paulo', analystsSeePersonalData: false });
    expect(await storedZone(workspaceId)).toBe('America/Sao_Paulo');
    expect((await sut.graphql(workspaceId, 'analyst', '{ workspace { timeZone } }')).data.workspace.timeZone).toBe('America/Sao_Paulo');
  });

  it.each(['Mars/Olympus_Mons', ''])('the zone %j is refused (BAD_USER_INPUT) and nothing changes', async (zone) => {
    const workspaceId = await sut.createWorkspace();
    const before = await storedZone(workspaceId);

    const refused = await sut.graphql(workspaceId, 'admin', ZONE, { input: { timeZone: zone, analystsSeePersonalData: true } });

    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await storedZone(workspaceId)).toBe(before);
    const { rows } = await sut.db.query('SELECT analysts_see_personal_data AS granted FROM account_context.workspaces WHERE id = $1', [workspaceId]);
    expect(rows[0].granted).toBe(false);
  });

  it.each(['analyst', 'agent', 'widget'] as const)('the %s role cannot change the zone (FORBIDDEN)', async (role) => {
    const workspaceId = await sut.createWorkspace();
    const before = await storedZone(workspaceId);
    expect((await sut.graphql(workspaceId, role, ZONE, { input: { timeZone: 'Asia/Tokyo' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await storedZone(workspaceId)).toBe(before);
  });

  it("the zone changes only the caller's workspace", async () => {
    const workspaceId = await sut.createWorkspace();
    const other = await sut.createWorkspace();
    const before = await storedZone(other);
    await sut.graphql(workspaceId, 'admin', ZONE, { input: { timeZone: 'Asia/Tokyo' } });
    expect(await storedZone(workspaceId)).toBe('Asia/Tokyo');
    expect(await storedZone(other)).toBe(before);
  });
});

describe('secrets at rest', () => {
  const storedTokenSecret = async (workspaceId: string): Promise<string> =>
    (await sut.db.query('SELECT customer_token_secret AS s FROM account_context.workspaces WHERE id = $1', [workspaceId])).rows[0].s;
  const storedWebhookSecret = async (workspaceId: string): Promise<string> =>
    (await sut.db.query('SELECT secret AS s FROM account_context.webhook_secrets WHERE workspace_id = $1', [workspaceId])).rows[0].s;

  it('customer-token and webhook secrets are stored sealed, never in clear', async () => {
    const created = await sut.services.workspaces.createWorkspace('Sealed');
    const webhookSecret = await sut.createWebhookSecret(created.workspace.id, 'CRM');
    const storedToken = await storedTokenSecret(created.workspace.id);
    const storedWebhook = await storedWebhookSecret(created.workspace.id);
    expect(storedToken).toMatch(/^enc:v1:it1:/);
    expect(storedToken).not.toContain(created.customerTokenSecret);
    expect(storedWebhook).toMatch(/^enc:v1:it1:/);
    expect(storedWebhook).not.toContain(webhookSecret);
  });

  it('after a rotation (new key first, restart) secrets are rewrapped, and tokens and webhooks still verify; clear legacy values get sealed', async () => {
    const created = await sut.services.workspaces.createWorkspace('Rotated');
    const workspaceId = created.workspace.id;
    const webhookSecret = await sut.createWebhookSecret(workspaceId, 'BILLING');
    const widget = await createKey(workspaceId, 'WIDGET');
    // A row as written before sealing existed.
    const legacy = await sut.services.workspaces.createWorkspace('Legacy');
    await sut.db.query('UPDATE account_context.workspaces SET customer_token_secret = $2 WHERE id = $1', [legacy.workspace.id, legacy.customerTokenSecret]);
    const bodyBefore = (await storedTokenSecret(workspaceId)).split(':').at(-1);

    const rotated = await startAccountContext(
      loadAccountContextConfig({
        INTERNAL_HMAC_SECRET: sut.hmacSecret,
        DATABASE_URL: sut.databaseUrl,
        SECRETS_ENCRYPTION_KEYS: `${newKeyEncryptionKey('it2')},${sut.secretsEncryptionKeys}`,
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
      }),
      '127.0.0.1',
    );
    try {
      const storedToken = await storedTokenSecret(workspaceId);
      expect(storedToken).toMatch(/^enc:v1:it2:/);
      // Envelope: only the data key was re-wrapped; the secret's own ciphertext is untouched.
      expect(storedToken.split(':').at(-1)).toBe(bodyBefore);
      expect(await storedWebhookSecret(workspaceId)).toMatch(/^enc:v1:it2:/);
      expect(await storedTokenSecret(legacy.workspace.id)).toMatch(/^enc:v1:it2:/);

      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('c-9').setIssuedAt().setExpirationTime('1h').sign(Buffer.from(created.customerTokenSecret));
      const viaRotated = new Authenticator(new InternalGraphQLClient(`http://127.0.0.1:${rotated.port}/graphql`, sut.hmacSecret), { cacheTtlMs: 0, leaseMs: LEASE_MS });
      expect(await verdict(viaRotated, widget.secret, token)).toMatchObject({ customerId: 'c-9' });
      const legacyWidget = await createKey(legacy.workspace.id, 'WIDGET');
      const legacyToken = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('c-1').setIssuedAt().setExpirationTime('1h').sign(Buffer.from(legacy.customerTokenSecret));
      expect(await verdict(viaRotated, legacyWidget.secret, legacyToken)).toMatchObject({ customerId: 'c-1' });

      const body = JSON.stringify({ type: 'ping' });
      const { signWebhook } = await import('../../services/account-context/webhook/webhook-signature');
      const response = await fetch(`http://127.0.0.1:${rotated.port}/webhooks/billing`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-loopdesk-workspace': workspaceId, 'x-loopdesk-delivery': 'rot-1', 'x-loopdesk-signature': signWebhook(webhookSecret, body) },
        body,
      });
      expect(response.status).toBe(200);
    } finally {
      await rotated.stop();
    }
  });

  it('a service that lacks the key a secret was sealed with refuses to start, naming the key', async () => {
    await expect(
      startAccountContext(
        loadAccountContextConfig({
          INTERNAL_HMAC_SECRET: sut.hmacSecret,
          DATABASE_URL: sut.databaseUrl,
          SECRETS_ENCRYPTION_KEYS: newKeyEncryptionKey('stranger'),
          PORT: '0',
          METRICS_PORT: '0',
          LOG_LEVEL: 'silent',
        }),
        '127.0.0.1',
      ),
    ).rejects.toThrow(/sealed with key "it\d"/);
  });
});
