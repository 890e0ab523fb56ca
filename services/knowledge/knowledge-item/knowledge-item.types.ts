import { ArrayMaxSize, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum KnowledgeItemKind {
  ARTICLE = 'article',
  LEARNED_ANSWER = 'learned_answer',
}
registerEnumType(KnowledgeItemKind, { name: 'KnowledgeItemKind' });

export enum KnowledgeItemStatus {
  PUBLISHED = 'published',
  PENDING_REVIEW = 'pending_review',
  ARCHIVED = 'archived',
}
registerEnumType(KnowledgeItemStatus, { name: 'KnowledgeItemStatus' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An article or a learned answer that answers can be grounded in' })
export class KnowledgeItem {
  @Field(() => ID)
  id!: string;

  @Field(() => KnowledgeItemKind)
  kind!: KnowledgeItemKind;

  @Field(() => KnowledgeItemStatus)
  status!: KnowledgeItemStatus;

  @Field()
  title!: string;

  @Field({ description: 'Markdown' })
  body!: string;

  @Field()
  topic!: string;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Int)
  version!: number;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'Internal: a passage found for a question, with its scores' })
export class RetrievedPassage {
  @Field(() => ID)
  passageId!: string;

  @Field(() => ID)
  knowledgeItemId!: string;

  @Field(() => Int)
  itemVersion!: number;

  @Field()
  title!: string;

  @Field()
  text!: string;

  @Field()
  topic!: string;

  @Field(() => Float, { description: 'Combined relevance in [0, 1]' })
  score!: number;
}

export const MAX_BODY_LENGTH = 100_000;

@InputType()
export class CreateArticleInput {
  @Field()
  @IsString()
  @Length(1, 300)
  title!: string;

  @Field({ description: 'Markdown' })
  @IsString()
  @Length(1, MAX_BODY_LENGTH)
  body!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  topic?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  tags?: string[];
}

@InputType()
export class RetrievePassagesInput {
  @Field()
  @IsString()
  @Length(1, 8192)
  text!: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}
