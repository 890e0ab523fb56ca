import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IntField } from '../../shared/input-fields';

/** Owned by knowledge; insights only references it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class KnowledgeItem {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'An item a product change flagged as stale that answers kept citing' })
export class StaleItemStillServed {
  @Field(() => KnowledgeItem)
  knowledgeItem!: KnowledgeItem;

  @Field()
  topic!: string;

  @Field({ description: 'When it was flagged (UTC)' })
  flaggedAt!: string;

  @Field(() => Int, { description: 'Answers citing it since the flag' })
  timesServed!: number;

  @Field()
  lastServedAt!: string;
}

@ObjectType({ description: 'A published item no answer has cited in the window (including one published during it)' })
export class UncitedItem {
  @Field(() => KnowledgeItem)
  knowledgeItem!: KnowledgeItem;

  @Field()
  topic!: string;

  @Field()
  publishedAt!: string;
}

@ObjectType()
export class StaleContentReport {
  @Field(() => [StaleItemStillServed])
  stillServed!: StaleItemStillServed[];

  @Field(() => [UncitedItem], { description: 'Oldest first, at most `first`' })
  uncited!: UncitedItem[];

  @Field(() => Int, { description: 'Items no answer cited in the window, all of them (the list stops at `first`)' })
  uncitedCount!: number;

  @Field(() => Int, { description: 'Items published and not archived or reverted at the end of the window, cited or not' })
  publishedCount!: number;
}

@InputType()
export class StaleContentInput {
  @IntField({ min: 1, max: 730, optional: true, description: 'Uncited for this many days; default 90' })
  uncitedDays?: number;

  @IntField({ min: 1, max: 500, optional: true, description: 'Rows per list; default 50' })
  first?: number;
}
