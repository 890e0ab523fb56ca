/** Workspaces, their API keys, operator keys and the verification of gateway credentials. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { badInput, conflict, notFound, unauthenticated } from '../../shared/errors';
import { canonicalTimeZone } from '../../shared/time-zone';
import { SYSTEM_WORKSPACE } from '../../shared/request-context';
import type { SecretEnvelope } from '../../shared/secret-envelope';
import { AgentEntity } from '../agent/agent.entity';
import { agentSubject } from '../../shared/agent-subject';
import { customerTokenSecretPurpose } from '../secrets/stored-secrets';
import { ApiKeyEntity } from './api-key.entity';
import { bumpAuthEpoch, readAuthEpoch } from './auth-epoch.queries';
import { CustomerTokenRules, verifyCustomerToken } from './customer-token';
import { WorkspaceEntity } from './workspace.entity';
import { KeyRole, WorkspaceKeyRole } from './workspace.types';

export interface VerifiedCaller {
  workspaceId: string;
  role: KeyRole;
  subject: string;
  customerId: string | null;
  /** Analysts only: the workspace lets its analysts read personal data. */
  personalData: boolean;
  /** With a customer token: when its verification stops holding. */
  validUntil: Date | null;
}

export interface NewWorkspace {
  workspace: WorkspaceEntity;
  adminKey: string;
  customerTokenSecret: string;
}

export interface WorkspaceSettings {
  analystsSeePersonalData?: boolean;
  /** IANA zone; the worker moves the weekly report schedule to it at its next reconciliation. */
  timeZone?: string;
}

export interface WorkspaceServiceOptions {
  envelope: SecretEnvelope;
  customerTokens: CustomerTokenRules;
  /**
   * How long a gateway may serve a cached verdict without reading the epoch (AUTH_REVOCATION_LEASE_MS). A
   * revocation is held this long after it commits, so that when it returns no gateway still trusts the key.
   */
  revocationLeaseMs: number;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class WorkspaceService {
  private readonly workspaces: Repository<WorkspaceEntity>;
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(
    private readonly db: DataSource,
    private readonly options: WorkspaceServiceOptions,
  ) {
    this.workspaces = db.getRepository(WorkspaceEntity);
    this.keys = db.getRepository(ApiKeyEntity);
  }

  async createWorkspace(name: string, timeZone = 'UTC'): Promise<NewWorkspace> {
    const zone = canonicalTimeZone(timeZone);
    if (!zone) throw badInput(`timeZone must be an IANA time zone such as "Europe/Paris"; got "${timeZone}"`);
    // Stored as IANA spells it: the warehouse and Temporal know no other spelling.
    return this.db.transaction((tx) => this.insertWorkspace(tx, name.trim(), zone, 'first admin key'));
  }

  /** Creates the local workspace on a fresh installation; does nothing once any workspace exists. */
  async bootstrap(name: string): Promise<NewWorkspace | null> {
    return this.db.transaction('SERIALIZABLE', async (tx) => {
      const existing = await tx.getRepository(WorkspaceEntity).count();
      if (existing > 0) return null;
      return this.insertWorkspace(tx, name, 'UTC', 'bootstrap admin key');
    });
  }

  async getWorkspace(id: string): Promise<WorkspaceEntity> {
    const workspace = await this.workspaces.findOneBy({ id });
    if (!workspace) throw notFound('Workspace', id);
    return workspace;
  }

  async listAll(): Promise<WorkspaceEntity[]> {
    return this.workspaces.find({ order: { createdAt: 'ASC' } });
  }

  async updateSettings(workspaceId: string, settings: WorkspaceSettings): Promise<WorkspaceEntity> {
    const zone = settings.timeZone === undefined ? undefined : canonicalTimeZone(settings.timeZone);
    if (zone === null) throw badInput(`timeZone must be an IANA time zone such as "Europe/Paris"; got "${settings.timeZone}"`);
    // Analysts' verdicts carry the grant: whenever it is given (even unchanged: this may be the retry of a call that
    // timed out while it waited), cached verdicts are re-read and the call returns once no gateway can hold the old
    // one. No verdict carries the zone.
    const grantGiven = settings.analystsSeePersonalData !== undefined;
    const workspace = await this.db.transaction(async (tx) => {
      const found = await tx.getRepository(WorkspaceEntity).findOne({ where: { id: workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw notFound('Workspace', workspaceId);
      if (settings.analystsSeePersonalData !== undefined) found.analystsSeePersonalData = settings.analystsSeePersonalData;
      if (zone !== undefined) found.timeZone = zone;
      await tx.getRepository(WorkspaceEntity).save(found);
      if (grantGiven) await bumpAuthEpoch(tx);
      return found;
    });
    if (grantGiven) await this.holdForGatewayLease();
    return workspace;
  }

  async listKeys(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async createApiKey(workspaceId: string, role: WorkspaceKeyRole, label: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    return this.insertKey(this.keys, workspaceId, role, label.trim());
  }

  /** Operator keys create workspaces and belong to none; only the server CLI mints them (see operator-cli.ts). */
  async createOperatorKey(label: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    return this.insertKey(this.keys, null, 'operator', label.trim());
  }

  /**
   * Refuses to revoke a workspace's last active admin key (nobody could manage the workspace any more). The
   * workspace row is locked first, so two revocations of its last two admin keys run one after the other and
   * the second one sees that only one is left.
   */
  async revokeApiKey(workspaceId: string, id: string): Promise<ApiKeyEntity> {
    const { key, changed } = await this.db.transaction(async (tx) => {
      await tx.getRepository(WorkspaceEntity).findOne({ where: { id: workspaceId }, lock: { mode: 'pessimistic_write' } });
      const keys = tx.getRepository(ApiKeyEntity);
      const found = await keys.findOneBy({ id, workspaceId });
      if (!found) throw notFound('API key', id);
      if (found.revokedAt) return { key: found, changed: false };
      if (found.role === 'admin' && (await keys.countBy({ workspaceId, role: 'admin', revokedAt: IsNull() })) <= 1) {
        throw conflict('This is the last active admin key of the workspace; create another admin key before revoking this one');
      }
      return { key: await this.markRevoked(tx, found), changed: true };
    });
    if (changed) await this.holdForGatewayLease();
    return key;
  }

  async revokeOperatorKey(id: string): Promise<ApiKeyEntity> {
    const { key, changed } = await this.db.transaction(async (tx) => {
      const found = await tx.getRepository(ApiKeyEntity).findOneBy({ id, role: 'operator' });
      if (!found) throw notFound('Operator key', id);
      if (found.revokedAt) return { key: found, changed: false };
      return { key: await this.markRevoked(tx, found), changed: true };
    });
    if (changed) await this.holdForGatewayLease();
    return key;
  }

  authEpoch(): Promise<string> {
    return readAuthEpoch(this.db);
  }

  /** Verifies an API key and, when given, an end-customer token signed with the workspace's secret. */
  async authenticate(apiKey: string, customerToken: string | null): Promise<VerifiedCaller> {
    const key = await this.keys.findOneBy({ keyHash: hashKey(apiKey), revokedAt: IsNull() });
    if (!key) throw unauthenticated('The API key is not valid or has been revoked');
    if (key.workspaceId === null) {
      if (customerToken) throw unauthenticated('An operator key acts for no customer; send it without a customer token');
      return { workspaceId: SYSTEM_WORKSPACE, role: key.role, subject: `key:${key.id}`, customerId: null, personalData: false, validUntil: null };
    }
    const workspace = customerToken || key.role === 'analyst' ? await this.getWorkspace(key.workspaceId) : null;
    let customerId: string | null = null;
    let validUntil: Date | null = null;
    if (customerToken && workspace) {
      const secret = this.options.envelope.decrypt(workspace.customerTokenSecret, customerTokenSecretPurpose(workspace.id));
      ({ customerId, validUntil } = await verifyCustomerToken(customerToken, secret, this.options.customerTokens));
    }
    let role = key.role;
    let actor = `key:${key.id}`;
    if (key.agentId) {
      // A personal key acts as its person, with the person's current role.
      const agent = await this.db.getRepository(AgentEntity).findOneBy({ id: key.agentId, workspaceId: key.workspaceId });
      if (!agent || agent.deactivatedAt) throw unauthenticated('The API key is not valid or has been revoked');
      role = agent.role;
      actor = agentSubject(agent.id);
    }
    const subject = customerId ? `customer:${customerId}` : actor;
    const personalData = role === 'analyst' && workspace !== null && workspace.analystsSeePersonalData;
    return { workspaceId: key.workspaceId, role, subject, customerId, personalData, validUntil };
  }

  private async insertWorkspace(tx: EntityManager, name: string, timeZone: string, keyLabel: string): Promise<NewWorkspace> {
    const id = randomUUID();
    const customerTokenSecret = randomBytes(32).toString('base64url');
    const sealed = this.options.envelope.encrypt(customerTokenSecret, customerTokenSecretPurpose(id));
    await tx.getRepository(WorkspaceEntity).insert({ id, name, timeZone, customerTokenSecret: sealed });
    const workspace = await tx.getRepository(WorkspaceEntity).findOneByOrFail({ id });
    const { secret } = await this.insertKey(tx.getRepository(ApiKeyEntity), id, 'admin', keyLabel);
    return { workspace, adminKey: secret, customerTokenSecret };
  }

  private async markRevoked(tx: EntityManager, key: ApiKeyEntity): Promise<ApiKeyEntity> {
    key.revokedAt = new Date();
    await tx.getRepository(ApiKeyEntity).save(key);
    await bumpAuthEpoch(tx);
    return key;
  }

  private holdForGatewayLease(): Promise<void> {
    return sleep(this.options.revocationLeaseMs);
  }

  /** A personal key of an agent, written in the caller's transaction (the agent's creation, or a new key). */
  createAgentKey(tx: EntityManager, workspaceId: string, agentId: string, role: WorkspaceKeyRole, label: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    return this.insertKey(tx.getRepository(ApiKeyEntity), workspaceId, role, label.trim(), agentId);
  }

  /** Cached verdicts carry roles and who acts: after a person's role changes or they leave, every gateway re-verifies. */
  async invalidateVerdicts(tx: EntityManager): Promise<void> {
    await bumpAuthEpoch(tx);
  }

  /** Waits one lease after an epoch bump committed, so no gateway serves a verdict from before it. */
  holdForLease(): Promise<void> {
    return this.holdForGatewayLease();
  }

  private async insertKey(repository: Repository<ApiKeyEntity>, workspaceId: string | null, role: KeyRole, label: string, agentId: string | null = null) {
    const secret = `ldk_${role}_${randomBytes(24).toString('base64url')}`;
    const key = await repository.save({ workspaceId, role, label, keyHash: hashKey(secret), keyPrefix: secret.slice(0, 14), revokedAt: null, agentId });
    return { key, secret };
  }
}
