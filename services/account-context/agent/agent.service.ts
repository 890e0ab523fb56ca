/**
 * The people who work conversations: created, changed and deactivated by admins, each with personal keys that
 * act as them. A change that alters what a key may do (role, deactivation) invalidates cached verdicts and
 * returns only once every gateway must have noticed, as revoking a key does.
 */
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { conflict, notFound } from '../../shared/errors';
import { uniqueViolation } from '../../shared/unique-violation';
import { ApiKeyEntity } from '../workspace/api-key.entity';
import { WorkspaceEntity } from '../workspace/workspace.entity';
import type { WorkspaceService } from '../workspace/workspace.service';
import { AgentAvailabilityValue, AgentEntity, AgentRoleValue } from './agent.entity';

export interface NewAgent {
  name: string;
  email: string;
  role: AgentRoleValue;
  groups: string[];
}

export interface AgentChange {
  name?: string;
  email?: string;
  role?: AgentRoleValue;
  groups?: string[];
  availability?: AgentAvailabilityValue;
}

export interface AgentQuery {
  group?: string;
  availability?: AgentAvailabilityValue;
  includeInactive?: boolean;
}

const normalizeGroups = (groups: readonly string[]) => [...new Set(groups)];

export class AgentService {
  constructor(
    private readonly db: DataSource,
    private readonly workspaces: WorkspaceService,
  ) {}

  /** The person and their first personal key, in one transaction. */
  async create(workspaceId: string, agent: NewAgent): Promise<{ agent: AgentEntity; key: ApiKeyEntity; secret: string }> {
    return this.uniqueEmail(() =>
      this.db.transaction(async (tx) => {
        const saved = await tx.getRepository(AgentEntity).save(
          tx.getRepository(AgentEntity).create({ workspaceId, name: agent.name.trim(), email: agent.email.trim(), role: agent.role, groups: normalizeGroups(agent.groups), availability: 'available', deactivatedAt: null }),
        );
        const { key, secret } = await this.workspaces.createAgentKey(tx, workspaceId, saved.id, agent.role, 'personal key');
        return { agent: saved, key, secret };
      }),
    );
  }

  async createKey(workspaceId: string, agentId: string, label: string): Promise<{ agent: AgentEntity; key: ApiKeyEntity; secret: string }> {
    return this.db.transaction(async (tx) => {
      const agent = await this.lockedAgent(tx, workspaceId, agentId);
      if (agent.deactivatedAt) throw conflict(`Agent ${agent.name} was deactivated; reactivate them before issuing a key`);
      const { key, secret } = await this.workspaces.createAgentKey(tx, workspaceId, agent.id, agent.role, label);
      return { agent, key, secret };
    });
  }

  async update(workspaceId: string, agentId: string, change: AgentChange): Promise<AgentEntity> {
    const { agent, verdictsChanged } = await this.uniqueEmail(() =>
      this.db.transaction(async (tx) => {
        const agent = await this.lockedAgent(tx, workspaceId, agentId);
        const roleChanged = change.role !== undefined && change.role !== agent.role;
        if (roleChanged && agent.role === 'admin') await this.keepAnAdmin(tx, workspaceId, agent.id);
        if (change.name !== undefined) agent.name = change.name.trim();
        if (change.email !== undefined) agent.email = change.email.trim();
        if (change.role !== undefined) agent.role = change.role;
        if (change.groups !== undefined) agent.groups = normalizeGroups(change.groups);
        if (change.availability !== undefined) agent.availability = change.availability;
        const saved = await tx.getRepository(AgentEntity).save(agent);
        if (roleChanged) {
          // The key rows keep the role they were minted with for listing; authentication reads the person's.
          await tx.getRepository(ApiKeyEntity).update({ agentId: agent.id }, { role: agent.role });
          await this.workspaces.invalidateVerdicts(tx);
        }
        return { agent: saved, verdictsChanged: roleChanged };
      }),
    );
    if (verdictsChanged) await this.workspaces.holdForLease();
    return agent;
  }

  /** Revokes every key of the person; their claims, messages and learning events stay recorded under them. */
  async deactivate(workspaceId: string, agentId: string): Promise<AgentEntity> {
    const { agent, changed } = await this.db.transaction(async (tx) => {
      const agent = await this.lockedAgent(tx, workspaceId, agentId);
      if (agent.deactivatedAt) return { agent, changed: false };
      if (agent.role === 'admin') await this.keepAnAdmin(tx, workspaceId, agent.id);
      agent.deactivatedAt = new Date();
      agent.availability = 'offline';
      const saved = await tx.getRepository(AgentEntity).save(agent);
      await tx.getRepository(ApiKeyEntity).update({ agentId: agent.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.workspaces.invalidateVerdicts(tx);
      return { agent: saved, changed: true };
    });
    if (changed) await this.workspaces.holdForLease();
    return agent;
  }

  async reactivate(workspaceId: string, agentId: string): Promise<AgentEntity> {
    return this.db.transaction(async (tx) => {
      const agent = await this.lockedAgent(tx, workspaceId, agentId);
      if (!agent.deactivatedAt) return agent;
      agent.deactivatedAt = null;
      agent.availability = 'available';
      return tx.getRepository(AgentEntity).save(agent);
    });
  }

  async get(workspaceId: string, agentId: string): Promise<AgentEntity> {
    const agent = await this.db.getRepository(AgentEntity).findOneBy({ id: agentId, workspaceId });
    if (!agent) throw notFound('Agent', agentId);
    return agent;
  }

  async byIds(workspaceId: string, ids: readonly string[]): Promise<AgentEntity[]> {
    if (ids.length === 0) return [];
    return this.db.getRepository(AgentEntity).findBy({ id: In([...ids]), workspaceId });
  }

  async list(workspaceId: string, query: AgentQuery = {}): Promise<AgentEntity[]> {
    const builder = this.db.getRepository(AgentEntity).createQueryBuilder('a').where('a.workspace_id = :workspaceId', { workspaceId }).orderBy('lower(a.name)').addOrderBy('a.id');
    if (!query.includeInactive) builder.andWhere('a.deactivated_at IS NULL');
    if (query.group) builder.andWhere(':group = ANY(a.groups)', { group: query.group });
    if (query.availability) builder.andWhere('a.availability = :availability', { availability: query.availability });
    return builder.getMany();
  }

  async keysOf(workspaceId: string, agentId: string): Promise<ApiKeyEntity[]> {
    return this.db.getRepository(ApiKeyEntity).find({ where: { workspaceId, agentId }, order: { createdAt: 'ASC' } });
  }

  /** Whether some active person is in the group (routing to an empty group would strand the conversation). */
  async groupExists(workspaceId: string, group: string): Promise<boolean> {
    return this.db.getRepository(AgentEntity).createQueryBuilder('a').where('a.workspace_id = :workspaceId AND a.deactivated_at IS NULL AND :group = ANY(a.groups)', { workspaceId, group }).getExists();
  }

  private async lockedAgent(tx: EntityManager, workspaceId: string, agentId: string): Promise<AgentEntity> {
    // The workspace row first, as revokeApiKey does: two changes to its last admins run one after the other.
    await tx.getRepository(WorkspaceEntity).findOne({ where: { id: workspaceId }, lock: { mode: 'pessimistic_write' } });
    const agent = await tx.getRepository(AgentEntity).findOne({ where: { id: agentId, workspaceId }, lock: { mode: 'pessimistic_write' } });
    if (!agent) throw notFound('Agent', agentId);
    return agent;
  }

  /** The workspace keeps an active admin key that is not this person's, or the change is refused. */
  private async keepAnAdmin(tx: EntityManager, workspaceId: string, agentId: string): Promise<void> {
    const others = await tx.getRepository(ApiKeyEntity).count({ where: [
      { workspaceId, role: 'admin', revokedAt: IsNull(), agentId: IsNull() },
      { workspaceId, role: 'admin', revokedAt: IsNull(), agentId: Not(agentId) },
    ] });
    if (others === 0) throw conflict("This person holds the workspace's last active admin key; create another admin key first");
  }

  private async uniqueEmail<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (uniqueViolation(error) !== null) throw conflict('Another agent of this workspace has this email');
      throw error;
    }
  }
}
