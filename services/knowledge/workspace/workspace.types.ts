import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Knowledge's view of a workspace: the fields it contributes to the entity account-context owns. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Workspace {
  @Field(() => ID)
  id!: string;
}
