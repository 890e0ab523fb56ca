/** Workspace and API key operations. Thin: role checks, id checks, mapping. */
import { canonicalTimeZone } from '../../shared/time-zone';
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, forbidden } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { AccountContextContext } from '../context';
import type { ApiKeyEntity } from './api-key.entity';
import type { WorkspaceEntity } from './workspace.entity';
import { WorkspaceService } from './workspace.service';
import {
  ApiKey,
  ApiKeyRole,
  Authentication,
  CreateApiKeyInput,
  CreateWorkspaceInput,
  CreatedApiKey,
  CreatedOperatorKey,
  CreatedWorkspace,
  RevokeApiKeyInput,
  UpdateWorkspaceSettingsInput,
  Workspace,
} from './workspace.types';

const toWorkspace = (entity: WorkspaceEntity): Workspace => ({
  id: entity.id,
  name: entity.name,
  // Workspaces created before zones were stored canonically may hold another spelling.
  timeZone: canonicalTimeZone(entity.timeZone) ?? 'UTC',
  analystsSeePersonalData: entity.analystsSeePersonalData,
  createdAt: entity.createdAt,
});

export const toApiKey = (entity: ApiKeyEntity): ApiKey => ({
  id: entity.id,
  role: entity.role as ApiKeyRole,
  label: entity.label,
  prefix: entity.keyPrefix,
  createdAt: entity.createdAt,
  revokedAt: entity.revokedAt,
  agentId: entity.agentId ?? null,
});

@Resolver(() => Workspace)
export class WorkspaceResolver {
  constructor(private readonly workspaces: WorkspaceService) {}

  @Authorized('widget', 'agent', 'analyst', 'admin')
  @Query(() => Workspace, { description: "The caller's workspace" })
  async workspace(@Ctx() ctx: AccountContextContext): Promise<Workspace> {
    return toWorkspace(await this.workspaces.getWorkspace(ctx.auth.workspaceId));
  }

  @Authorized('admin')
  @FieldResolver(() => [ApiKey])
  async apiKeys(@Root() workspace: Workspace, @Ctx() ctx: AccountContextContext): Promise<ApiKey[]> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('API keys of another workspace are not visible');
    return (await this.workspaces.listKeys(workspace.id)).map(toApiKey);
  }

  @Authorized('operator', 'system')
  @Mutation(() => CreatedWorkspace, { description: 'Create a new workspace with its first admin key. Needs an operator key (minted on the server: npm run operator -- create-key)' })
  async createWorkspace(@Arg('input') input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
    const created = await this.workspaces.createWorkspace(input.name, input.timeZone ?? 'UTC');
    return { workspace: toWorkspace(created.workspace), adminKey: created.adminKey, customerTokenSecret: created.customerTokenSecret };
  }

  @Authorized('admin')
  @Mutation(() => Workspace, {
    description:
      "Change the caller's workspace settings. A personal-data grant reaches cached credentials at once; a new time zone applies to insights at once and moves the weekly report schedule within the worker's reconcile period",
  })
  async updateWorkspaceSettings(@Arg('input') input: UpdateWorkspaceSettingsInput, @Ctx() ctx: AccountContextContext): Promise<Workspace> {
    return toWorkspace(
      await this.workspaces.updateSettings(ctx.auth.workspaceId, { analystsSeePersonalData: input.analystsSeePersonalData ?? undefined, timeZone: input.timeZone ?? undefined }),
    );
  }

  @Authorized('admin')
  @Mutation(() => CreatedApiKey, { description: "Create an API key in the caller's workspace" })
  async createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: AccountContextContext): Promise<CreatedApiKey> {
    const { key, secret } = await this.workspaces.createApiKey(ctx.auth.workspaceId, input.role, input.label);
    return { apiKey: toApiKey(key), secret };
  }

  @Authorized('admin')
  @Mutation(() => ApiKey, {
    description: "Revoke an API key; once this returns, every gateway refuses it. The workspace's last active admin key cannot be revoked (CONFLICT)",
  })
  async revokeApiKey(@Arg('input') input: RevokeApiKeyInput, @Ctx() ctx: AccountContextContext): Promise<ApiKey> {
    return toApiKey(await this.workspaces.revokeApiKey(ctx.auth.workspaceId, assertUuid(input.id, 'id')));
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => Authentication, { description: 'Internal: verify gateway credentials' })
  async authenticate(
    @Arg('apiKey') apiKey: string,
    @Arg('customerToken', () => String, { nullable: true }) customerToken: string | null,
  ): Promise<Authentication> {
    return this.workspaces.authenticate(apiKey, customerToken ?? null);
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => String, { description: 'Internal: the revocation epoch gateways watch to drop cached verdicts' })
  async authEpoch(): Promise<string> {
    return this.workspaces.authEpoch();
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => CreatedOperatorKey, { description: 'Internal: mint an operator key (the server CLI)' })
  async createOperatorKey(@Arg('label') label: string): Promise<CreatedOperatorKey> {
    if (label.trim().length === 0 || label.length > 200) throw badInput('label must be 1 to 200 characters');
    const { key, secret } = await this.workspaces.createOperatorKey(label);
    return { id: key.id, secret };
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal: revoke an operator key (the server CLI)' })
  async revokeOperatorKey(@Arg('id', () => ID) id: string): Promise<boolean> {
    await this.workspaces.revokeOperatorKey(assertUuid(id, 'id'));
    return true;
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => [Workspace], { description: 'Internal: every workspace (for per-workspace schedules)' })
  async allWorkspaces(): Promise<Workspace[]> {
    return (await this.workspaces.listAll()).map(toWorkspace);
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => CreatedWorkspace, { nullable: true, description: 'Internal: create the first workspace of a fresh installation' })
  async bootstrapWorkspace(@Arg('name') name: string): Promise<CreatedWorkspace | null> {
    const created = await this.workspaces.bootstrap(name);
    return created && { workspace: toWorkspace(created.workspace), adminKey: created.adminKey, customerTokenSecret: created.customerTokenSecret };
  }
}

export function workspaceReference(workspaces: WorkspaceService) {
  return {
    async __resolveReference(reference: { id: string }, ctx: AccountContextContext): Promise<Workspace | null> {
      if (reference.id !== ctx.auth.workspaceId) return null;
      return toWorkspace(await workspaces.getWorkspace(reference.id));
    },
  };
}
