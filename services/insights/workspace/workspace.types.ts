import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Insights' view of a workspace: the fields it contributes to the entity account-context owns. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Workspace {
  @Field(() => ID)
  id!: string;
}
