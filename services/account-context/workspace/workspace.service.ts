/** Workspaces, their API keys and the verification of gateway credentials. */
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { DataSource, IsNull, Repository } from 'typeorm';
import { badInput, notFound, unauthenticated } from '../../shared/errors';
import { ApiKeyEntity } from './api-key.entity';
import { WorkspaceEntity } from './workspace.entity';
import { KeyRole, isTimeZone } from './workspace.types';

export interface VerifiedCaller {
  workspaceId: string;
  role: KeyRole;
  subject: string;
  customerId: string | null;
}

export interface NewWorkspace {
  workspace: WorkspaceEntity;
  adminKey: string;
  customerTokenSecret: string;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class WorkspaceService {
  private readonly workspaces: Repository<WorkspaceEntity>;
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(private readonly db: DataSource) {
    this.workspaces = db.getRepository(WorkspaceEntity);
    this.keys = db.getRepository(ApiKeyEntity);
  }

  async createWorkspace(name: string, timeZone = 'UTC'): Promise<NewWorkspace> {
    if (!isTimeZone(timeZone)) throw badInput(`timeZone must be an IANA time zone such as "Europe/Paris"; got "${timeZone}"`);
    const customerTokenSecret = randomBytes(32).toString('base64url');
    return this.db.transaction(async (tx) => {
      const workspace = await tx.getRepository(WorkspaceEntity).save({ name: name.trim(), timeZone, customerTokenSecret });
      const { secret } = await this.insertKey(tx.getRepository(ApiKeyEntity), workspace.id, 'admin', 'first admin key');
      return { workspace, adminKey: secret, customerTokenSecret };
    });
  }

  /** Creates the local workspace on a fresh installation; does nothing once any workspace exists. */
  async bootstrap(name: string): Promise<NewWorkspace | null> {
    return this.db.transaction('SERIALIZABLE', async (tx) => {
      const existing = await tx.getRepository(WorkspaceEntity).count();
      if (existing > 0) return null;
      const customerTokenSecret = randomBytes(32).toString('base64url');
      const workspace = await tx.getRepository(WorkspaceEntity).save({ name, timeZone: 'UTC', customerTokenSecret });
      const { secret } = await this.insertKey(tx.getRepository(ApiKeyEntity), workspace.id, 'admin', 'bootstrap admin key');
      return { workspace, adminKey: secret, customerTokenSecret };
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

  async listKeys(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async createApiKey(workspaceId: string, role: KeyRole, label: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    return this.insertKey(this.keys, workspaceId, role, label.trim());
  }

  async revokeApiKey(workspaceId: string, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id, workspaceId });
    if (!key) throw notFound('API key', id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    return key;
  }

  /** Verifies an API key and, when given, an end-customer token signed with the workspace's secret. */
  async authenticate(apiKey: string, customerToken: string | null): Promise<VerifiedCaller> {
    const key = await this.keys.findOneBy({ keyHash: hashKey(apiKey), revokedAt: IsNull() });
    if (!key) throw unauthenticated('The API key is not valid or has been revoked');
    let customerId: string | null = null;
    if (customerToken) {
      const workspace = await this.getWorkspace(key.workspaceId);
      try {
        const { payload } = await jwtVerify(customerToken, Buffer.from(workspace.customerTokenSecret), {
          algorithms: ['HS256'],
          requiredClaims: ['sub', 'exp'],
        });
        customerId = String(payload.sub);
      } catch {
        throw unauthenticated('The customer token does not verify: it must be an HS256 JWT with sub and exp, signed with the workspace secret');
      }
    }
    const subject = customerId ? `customer:${customerId}` : `key:${key.id}`;
    return { workspaceId: key.workspaceId, role: key.role, subject, customerId };
  }

  private async insertKey(repository: Repository<ApiKeyEntity>, workspaceId: string, role: KeyRole, label: string) {
    const secret = `ldk_${role}_${randomBytes(24).toString('base64url')}`;
    const key = await repository.save({ workspaceId, role, label, keyHash: hashKey(secret), keyPrefix: secret.slice(0, 14), revokedAt: null });
    return { key, secret };
  }
}
