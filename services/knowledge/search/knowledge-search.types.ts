import { IsBoolean, IsOptional } from 'class-validator';
import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { AfterCursorField, ConnectionType, EdgeType, PageSizeField } from '../../shared/connection';
import { KnowledgeItem, KnowledgeItemKind, KnowledgeItemStatus, LocaleField } from '../knowledge-item/knowledge-item.types';
import { TextField } from '../../shared/input-fields';

@InputType({ description: 'What to find: words to search for, filters, and the page' })
export class KnowledgeSearchInput {
  @TextField({ max: 500, optional: true, description: "Words to search titles, bodies and the questions items are known to answer for (every word counts); omit to list, newest change first" })
  query?: string;

  @Field(() => KnowledgeItemKind, { nullable: true })
  @IsOptional()
  kind?: KnowledgeItemKind;

  @TextField({ max: 100, allowEmpty: true, optional: true })
  topic?: string;

  @Field(() => KnowledgeItemStatus, { nullable: true, description: 'Omit for every status' })
  @IsOptional()
  status?: KnowledgeItemStatus;

  @Field({ nullable: true, description: 'true: only items flagged stale by a product change; false: only items not flagged' })
  @IsOptional()
  @IsBoolean()
  stale?: boolean;

  @LocaleField('Only items written in this language (an ISO 639 code)')
  locale?: string;

  @PageSizeField('Page size, 1–100 (default 20)')
  first?: number;

  @AfterCursorField('The endCursor of the previous page')
  after?: string;
}

@ObjectType()
class KnowledgeSearchEdge extends EdgeType(KnowledgeItem) {
  @Field(() => Float, { nullable: true, description: 'How well the item matches the query (higher is better); null when listing' })
  score!: number | null;

  @Field(() => String, { nullable: true, description: 'The learned question of the item that best matched the query, if one did' })
  matchedQuestion!: string | null;
}

@ObjectType({ description: 'Knowledge items, best match (or newest change) first' })
export class KnowledgeSearchConnection extends ConnectionType(KnowledgeSearchEdge) {}
