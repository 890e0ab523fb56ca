/** Agents as people: admins manage them, agents see their colleagues and set their own availability. Thin. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { agentIdOf, agentSubject } from '../../shared/agent-subject';
import { forbidden } from '../../shared/errors';
import { assertUuid, isUuid } from '../../shared/ids';
import type { AccountContextContext } from '../context';
import { toApiKey } from '../workspace/workspace.resolver';
import { ApiKey } from '../workspace/workspace.types';
import type { AgentEntity } from './agent.entity';
import { AgentService } from './agent.service';
import {
  Agent,
  AgentAvailability,
  AgentRef,
  AgentRole,
  AgentsFilter,
  CreateAgentInput,
  CreateAgentKeyInput,
  CreatedAgentKey,
  SetMyAvailabilityInput,
  UpdateAgentInput,
} from './agent.types';

const toAgent = (entity: AgentEntity): Agent => ({
  id: entity.id,
  name: entity.name,
  email: entity.email,
  role: entity.role as AgentRole,
  groups: entity.groups,
  availability: entity.availability as AgentAvailability,
  subject: agentSubject(entity.id),
  active: entity.deactivatedAt === null,
  createdAt: entity.createdAt,
});

@Resolver(() => Agent)
export class AgentResolver {
  constructor(private readonly people: AgentService) {}

  @Authorized('agent', 'system')
  @Query(() => [Agent], { description: "The workspace's agents, by name; active ones unless includeInactive" })
  async agents(@Ctx() ctx: AccountContextContext, @Arg('filter', () => AgentsFilter, { nullable: true }) filter?: AgentsFilter): Promise<Agent[]> {
    const rows = await this.people.list(ctx.auth.workspaceId, {
      group: filter?.group ?? undefined,
      availability: filter?.availability ?? undefined,
      includeInactive: filter?.includeInactive ?? false,
    });
    return rows.map(toAgent);
  }

  @Authorized('agent', 'system')
  @Query(() => Agent)
  async agent(@Arg('id', () => ID) id: string, @Ctx() ctx: AccountContextContext): Promise<Agent> {
    return toAgent(await this.people.get(ctx.auth.workspaceId, assertUuid(id, 'id')));
  }

  @Authorized('agent')
  @Query(() => Agent, { nullable: true, description: 'The person the caller\'s key belongs to; null for a shared workspace key' })
  async me(@Ctx() ctx: AccountContextContext): Promise<Agent | null> {
    const agentId = agentIdOf(ctx.auth.subject);
    if (!agentId || ctx.auth.role === 'system') return null;
    const found = await this.people.byIds(ctx.auth.workspaceId, [agentId]);
    return found[0] ? toAgent(found[0]) : null;
  }

  @Authorized('admin')
  @Mutation(() => CreatedAgentKey, { description: 'Add a person who works conversations, with their first personal key (shown once)' })
  async createAgent(@Arg('input') input: CreateAgentInput, @Ctx() ctx: AccountContextContext): Promise<CreatedAgentKey> {
    const created = await this.people.create(ctx.auth.workspaceId, { name: input.name, email: input.email, role: input.role ?? AgentRole.AGENT, groups: input.groups ?? [] });
    return { agent: toAgent(created.agent), apiKey: toApiKey(created.key), secret: created.secret };
  }

  @Authorized('admin')
  @Mutation(() => CreatedAgentKey, { description: 'Another personal key for an agent (e.g. a second device); revoke keys with revokeApiKey' })
  async createAgentKey(@Arg('input') input: CreateAgentKeyInput, @Ctx() ctx: AccountContextContext): Promise<CreatedAgentKey> {
    const created = await this.people.createKey(ctx.auth.workspaceId, assertUuid(input.agentId, 'agentId'), input.label ?? 'personal key');
    return { agent: toAgent(created.agent), apiKey: toApiKey(created.key), secret: created.secret };
  }

  @Authorized('admin')
  @Mutation(() => Agent, { description: 'Change name, email, role, groups or availability; a role change reaches their keys at once' })
  async updateAgent(@Arg('input') input: UpdateAgentInput, @Ctx() ctx: AccountContextContext): Promise<Agent> {
    return toAgent(
      await this.people.update(ctx.auth.workspaceId, assertUuid(input.id, 'id'), {
        name: input.name ?? undefined,
        email: input.email ?? undefined,
        role: input.role ?? undefined,
        groups: input.groups ?? undefined,
        availability: input.availability ?? undefined,
      }),
    );
  }

  @Authorized('admin')
  @Mutation(() => Agent, { description: 'A person left: every key of theirs is refused once this returns; what they did stays recorded under them' })
  async deactivateAgent(@Arg('input') input: AgentRef, @Ctx() ctx: AccountContextContext): Promise<Agent> {
    return toAgent(await this.people.deactivate(ctx.auth.workspaceId, assertUuid(input.id, 'id')));
  }

  @Authorized('admin')
  @Mutation(() => Agent, { description: 'Bring a deactivated person back (their old keys stay revoked: issue one with createAgentKey)' })
  async reactivateAgent(@Arg('input') input: AgentRef, @Ctx() ctx: AccountContextContext): Promise<Agent> {
    return toAgent(await this.people.reactivate(ctx.auth.workspaceId, assertUuid(input.id, 'id')));
  }

  @Authorized('agent')
  @Mutation(() => Agent, { description: "Set the caller's own availability; needs a personal agent key" })
  async setMyAvailability(@Arg('input') input: SetMyAvailabilityInput, @Ctx() ctx: AccountContextContext): Promise<Agent> {
    const agentId = agentIdOf(ctx.auth.subject);
    if (!agentId) throw forbidden('A shared workspace key is nobody in particular: use a personal agent key (createAgent) to set availability');
    return toAgent(await this.people.update(ctx.auth.workspaceId, agentId, { availability: input.availability }));
  }

  @Authorized('admin')
  @FieldResolver(() => [ApiKey], { description: "The person's keys, revoked ones included" })
  async keys(@Root() agent: Agent, @Ctx() ctx: AccountContextContext): Promise<ApiKey[]> {
    return (await this.people.keysOf(ctx.auth.workspaceId, agent.id)).map(toApiKey);
  }
}

/** Other subgraphs name agents by id (a claim, a message); only agents of the caller's workspace resolve. */
export const agentReference = {
  async __resolveReference(reference: { id: string }, ctx: AccountContextContext): Promise<Agent | null> {
    if (!isUuid(reference.id)) return null;
    const entity = await ctx.agents.load(reference.id.toLowerCase());
    return entity ? toAgent(entity) : null;
  },
};
