import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Insights' view of a workspace: the fields it contributes to the entity account-context owns. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Workspace {
  @Field(() => ID)
  id!: string;

  /** Owned by account-context; the gateway fetches it for fields that @require it. */
  @Directive('@external')
  @Field()
  timeZone!: string;
}
