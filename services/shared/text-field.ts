/**
 * A string field of a GraphQL input and its checks in one decorator, so every subgraph bounds free text the same
 * way: `@TextField({ max: 300 })` is 1 to 300 characters, `allowEmpty` lets an empty string through, `optional`
 * makes the field nullable and skips the checks when it is absent.
 */
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { Field } from 'type-graphql';

interface TextFieldOptions {
  max: number;
  /** Up to `max` characters, none included (MaxLength) rather than 1 to `max` (Length). */
  allowEmpty?: boolean;
  optional?: boolean;
  description?: string;
}

export function TextField({ max, allowEmpty = false, optional = false, description }: TextFieldOptions): PropertyDecorator {
  return (target, property) => {
    // Registered bottom-up, as the stacked decorators this replaces were, so failures list their problems in
    // the same order.
    (allowEmpty ? MaxLength(max) : Length(1, max))(target, property);
    IsString()(target, property);
    if (optional) IsOptional()(target, property);
    Field(() => String, optional ? { nullable: true, description } : { description })(target, property);
  };
}
