import { ArrayMaxSize, IsEmail, IsOptional, Length, Matches } from 'class-validator';
import { Authorized, Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ApiKey } from '../workspace/workspace.types';
import { EnumField, TextField } from '../../shared/input-fields';

export enum AgentRole {
  AGENT = 'agent',
  ADMIN = 'admin',
}
registerEnumType(AgentRole, { name: 'AgentRole', description: "What the person's keys may do: AGENT (conversations, knowledge reads) or ADMIN (everything in the workspace)" });

export enum AgentAvailability {
  AVAILABLE = 'available',
  AWAY = 'away',
  OFFLINE = 'offline',
}
registerEnumType(AgentAvailability, { name: 'AgentAvailability' });

/** Group names are routing labels: lowercase, so "Billing" and "billing" are one group. */
const GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const GROUP_MESSAGE = 'groups must be lowercase letters, digits, _ or -, 1-64 characters, starting with a letter or digit';

/** Who reads an agent's record beyond the name a customer sees. */
const STAFF = ['agent', 'analyst', 'system'] as const;

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who works conversations: everything they do is recorded under them' })
export class Agent {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  // Staff only, every field but the name: a customer may see who helps them, not their address, role, routing
  // groups, whether they are online or since when they work here (FORBIDDEN to a widget).
  @Authorized(...STAFF)
  @Field()
  email!: string;

  @Authorized(...STAFF)
  @Field(() => AgentRole)
  role!: AgentRole;

  @Authorized(...STAFF)
  @Field(() => [String], { description: 'Groups or skills conversations can be routed to' })
  groups!: string[];

  @Authorized(...STAFF)
  @Field(() => AgentAvailability)
  availability!: AgentAvailability;

  @Authorized(...STAFF)
  @Field({ description: 'How the agent appears in claims, learning events and messages: agent:<id>' })
  subject!: string;

  @Authorized(...STAFF)
  @Field(() => Boolean)
  active!: boolean;

  @Authorized(...STAFF)
  @Field()
  createdAt!: Date;
}

@ObjectType()
export class CreatedAgentKey {
  @Field(() => Agent)
  agent!: Agent;

  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The personal key. Shown once: only its hash is stored.' })
  secret!: string;
}

@InputType()
export class CreateAgentInput {
  @TextField({ max: 200 })
  name!: string;

  @Field()
  @IsEmail()
  @Length(3, 320)
  email!: string;

  @EnumField(AgentRole, { optional: true, description: 'Default AGENT' })
  role?: AgentRole;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(GROUP_PATTERN, { each: true, message: GROUP_MESSAGE })
  groups?: string[];
}

@InputType()
export class UpdateAgentInput {
  @Field(() => ID)
  id!: string;

  @TextField({ max: 200, optional: true })
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string;

  @EnumField(AgentRole, { optional: true, description: 'Takes effect on their keys at once' })
  role?: AgentRole;

  @Field(() => [String], { nullable: true, description: 'Replaces the list' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(GROUP_PATTERN, { each: true, message: GROUP_MESSAGE })
  groups?: string[];

  @EnumField(AgentAvailability, { optional: true })
  availability?: AgentAvailability;
}

@InputType()
export class AgentRef {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class CreateAgentKeyInput {
  @Field(() => ID)
  agentId!: string;

  @TextField({ max: 200, optional: true, description: 'Default "personal key"' })
  label?: string;
}

@InputType()
export class SetMyAvailabilityInput {
  @EnumField(AgentAvailability)
  availability!: AgentAvailability;
}

@InputType()
export class AgentsFilter {
  @Field({ nullable: true, description: 'Only agents in this group' })
  @IsOptional()
  @Matches(GROUP_PATTERN, { message: GROUP_MESSAGE })
  group?: string;

  @EnumField(AgentAvailability, { optional: true })
  availability?: AgentAvailability;

  @Field({ nullable: true, description: 'Include people who were deactivated (default false)' })
  @IsOptional()
  includeInactive?: boolean;
}
