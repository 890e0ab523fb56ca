/**
 * The fields of GraphQL inputs with their checks, one decorator each, so every subgraph bounds text, numbers and
 * enum values the same way: `@TextField({ max: 300 })` is 1 to 300 characters, `@IntField({ min: 1, max: 200 })`
 * an integer in that range, `@EnumField(Granularity)` one of the enum's values, `@IdField()` a UUID and
 * `@IdListField({ max: 20 })` up to 20 of them. `optional` makes a field nullable and skips its checks when it is
 * absent.
 *
 * Each registers its checks bottom-up, as the stacked decorators they replace did, so a failure lists its problems
 * in the same order.
 */
import { ArrayMaxSize, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, Int } from 'type-graphql';

interface InputFieldOptions {
  optional?: boolean;
  description?: string;
}

function inputField(type: () => object, { optional = false, description }: InputFieldOptions, checks: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const check of [...checks].reverse()) check(target, property);
    if (optional) IsOptional()(target, property);
    Field(type, optional ? { nullable: true, description } : { description })(target, property);
  };
}

interface TextFieldOptions extends InputFieldOptions {
  max: number;
  /** Up to `max` characters, none included (MaxLength) rather than 1 to `max` (Length). */
  allowEmpty?: boolean;
}

export function TextField(options: TextFieldOptions): PropertyDecorator {
  return inputField(() => String, options, [IsString(), options.allowEmpty ? MaxLength(options.max) : Length(1, options.max)]);
}

interface NumberFieldOptions extends InputFieldOptions {
  min: number;
  max?: number;
}

const bounds = ({ min, max }: NumberFieldOptions): PropertyDecorator[] => (max === undefined ? [Min(min)] : [Min(min), Max(max)]);

export function IntField(options: NumberFieldOptions): PropertyDecorator {
  return inputField(() => Int, options, [IsInt(), ...bounds(options)]);
}

export function FloatField(options: NumberFieldOptions): PropertyDecorator {
  return inputField(() => Float, options, [IsNumber(), ...bounds(options)]);
}

/** One of a registered enum's values. */
export function EnumField(enumType: Record<string, string>, options: InputFieldOptions = {}): PropertyDecorator {
  return inputField(() => enumType, options, [IsIn(Object.values(enumType))]);
}

/** An ID input, checked to be a UUID here rather than refused later by Postgres as an internal error. */
export function IdField(options: InputFieldOptions = {}): PropertyDecorator {
  return inputField(() => ID, options, [IsUUID()]);
}

interface IdListFieldOptions extends InputFieldOptions {
  max?: number;
}

export function IdListField(options: IdListFieldOptions = {}): PropertyDecorator {
  const each = IsUUID('all', { each: true });
  return inputField(() => [ID], options, options.max === undefined ? [each] : [ArrayMaxSize(options.max), each]);
}

interface TextListFieldOptions extends InputFieldOptions {
  /** Most items. */
  max: number;
  /** Most characters per item (each 1 to this many). */
  maxLength: number;
}

/** A list of short strings: at most `max` of them, each 1 to `maxLength` characters. */
export function TextListField(options: TextListFieldOptions): PropertyDecorator {
  return inputField(() => [String], options, [ArrayMaxSize(options.max), IsString({ each: true }), Length(1, options.maxLength, { each: true })]);
}
