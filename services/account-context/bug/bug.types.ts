import { ConnectionType, EdgeType, PageInput } from '../../shared/connection';
import { IsOptional } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../customer/customer.types';
import { TextField } from '../../shared/input-fields';

export enum BugStatus {
  OPEN = 'open',
  CLOSED = 'closed',
}
registerEnumType(BugStatus, { name: 'BugStatus' });

@ObjectType({ description: "A bug from the workspace's bug tracker, linked to the accounts and product areas it affects" })
export class Bug {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The tracker the bug comes from' })
  source!: string;

  @Field({ description: "The bug's id in the tracker" })
  externalId!: string;

  @Field()
  title!: string;

  @Field(() => BugStatus)
  status!: BugStatus;

  @Field(() => [String], { description: 'Product areas, from the tracker labels written "area:<name>"' })
  productAreas!: string[];

  @Field(() => [String], { description: 'External ids of the accounts the tracker links the bug to' })
  accountExternalIds!: string[];

  /** Resolved by a field resolver: the linked accounts that exist here. */
  accounts?: Account[];

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field()
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}

@ObjectType()
class BugEdge extends EdgeType(Bug) {}

@ObjectType()
export class BugConnection extends ConnectionType(BugEdge) {}

@InputType()
export class OpenBugsFilter {
  @Field(() => ID, { nullable: true, description: 'Only bugs linked to this account' })
  @IsOptional()
  accountId?: string;

  @TextField({ max: 100, optional: true, description: 'Only bugs in this product area' })
  productArea?: string;
}

@InputType()
export class BugsPage extends PageInput {}
