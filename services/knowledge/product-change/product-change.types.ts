import { ArrayMaxSize, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { KnowledgeItem } from '../knowledge-item/knowledge-item.types';
import { EnumField, IdField, IdListField, TextField } from '../../shared/input-fields';

export enum ProductChangeKind {
  RELEASE_NOTE = 'release_note',
  PRICING_CHANGE = 'pricing_change',
  DEPRECATED_FEATURE = 'deprecated_feature',
}
registerEnumType(ProductChangeKind, { name: 'ProductChangeKind' });

@ObjectType({ description: 'A change to the product that may make knowledge out of date' })
export class ProductChange {
  @Field(() => ID)
  id!: string;

  @Field(() => ProductChangeKind)
  kind!: ProductChangeKind;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => [String])
  productAreas!: string[];

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => [KnowledgeItem], { description: 'Items this change flagged as stale when it was recorded' })
  flaggedItems!: KnowledgeItem[];

  @Field(() => Date, { nullable: true, description: 'When unreviewed items are reported overdue' })
  reviewDeadline!: Date | null;

  @Field(() => Date, { nullable: true })
  reviewClosedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'completed, overdue, or nothing_to_review' })
  reviewOutcome!: string | null;
}

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: where the review of a product change stands' })
export class ProductChangeReviewStatus {
  @Field(() => [ID])
  pendingItemIds!: string[];
}

@Directive('@inaccessible')
@InputType()
export class CloseProductChangeReviewInput {
  @IdField()
  productChangeId!: string;

  @Field(() => String)
  @IsIn(['completed', 'overdue'])
  outcome!: 'completed' | 'overdue';

  @IdListField()
  pendingItemIds!: string[];
}

@InputType()
export class RecordProductChangeInput {
  @EnumField(ProductChangeKind)
  kind!: ProductChangeKind;

  @TextField({ max: 300 })
  title!: string;

  @TextField({ max: 20_000 })
  description!: string;

  @Field(() => [String], { description: 'Product areas (tags) or topics it touches' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  productAreas!: string[];

  @Field(() => [ID], { nullable: true, description: 'Items known to be affected, besides those matched by area' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  knowledgeItemIds?: string[];
}
