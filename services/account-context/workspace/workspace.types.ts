import { IsBoolean, IsOptional } from 'class-validator';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { EnumField, TextField } from '../../shared/input-fields';

/** Roles a workspace's admin can give a key. */
export type WorkspaceKeyRole = 'widget' | 'agent' | 'analyst' | 'admin';
/** Operator keys create workspaces; they belong to no workspace and only the server CLI mints them. */
export type KeyRole = WorkspaceKeyRole | 'operator';

export enum ApiKeyRole {
  WIDGET = 'widget',
  AGENT = 'agent',
  ANALYST = 'analyst',
  ADMIN = 'admin',
}
registerEnumType(ApiKeyRole, { name: 'ApiKeyRole', description: 'What a key may do: widget (end-customer front-ends), agent, analyst, admin' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A company using Loopdesk; every record belongs to exactly one workspace' })
export class Workspace {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'IANA time zone used for reports and day/week boundaries' })
  timeZone!: string;

  @Field({ description: "Whether analysts may read personal data (customers' names, emails and attributes, whole transcripts); admins change it" })
  analystsSeePersonalData!: boolean;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => ApiKeyRole)
  role!: ApiKeyRole;

  @Field()
  label!: string;

  @Field({ description: 'The first characters of the key, to tell keys apart' })
  prefix!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: "The agent a personal key belongs to; null for a shared workspace key" })
  agentId!: string | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The key itself. Shown once: only its hash is stored.' })
  secret!: string;
}

@ObjectType()
export class CreatedWorkspace {
  @Field(() => Workspace)
  workspace!: Workspace;

  @Field({ description: 'An admin key for the new workspace. Shown once.' })
  adminKey!: string;

  @Field({ description: 'HS256 secret the workspace signs end-customer tokens with. Shown once.' })
  customerTokenSecret!: string;
}

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: who a gateway request is, once its key and customer token are verified' })
export class Authentication {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  role!: string;

  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  customerId!: string | null;

  @Field({ description: 'Analysts only: the workspace lets analysts read personal data' })
  personalData!: boolean;

  @Field(() => Date, { nullable: true, description: "With a customer token: when its verification stops holding (a cached verdict must not outlive it)" })
  validUntil!: Date | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: an operator key, minted by the server CLI. Shown once.' })
export class CreatedOperatorKey {
  @Field(() => ID)
  id!: string;

  @Field()
  secret!: string;
}

@InputType()
export class CreateWorkspaceInput {
  @TextField({ max: 200 })
  name!: string;

  @TextField({ max: 64, allowEmpty: true, optional: true, description: 'IANA time zone, default UTC' })
  timeZone?: string;
}

@InputType()
export class CreateApiKeyInput {
  @EnumField(ApiKeyRole)
  role!: ApiKeyRole;

  @TextField({ max: 200 })
  label!: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class UpdateWorkspaceSettingsInput {
  @Field({ nullable: true, description: 'Let analysts read personal data: customers, and whole transcripts instead of the questions only' })
  @IsOptional()
  @IsBoolean()
  analystsSeePersonalData?: boolean;

  @TextField({ max: 64, optional: true, description: 'IANA time zone, e.g. "Europe/Paris": insights cut days there and the weekly report arrives Monday 06:00 there' })
  timeZone?: string;
}
