/**
 * The open-ended parts of an account or customer profile (custom attributes, usage counters, feature flags,
 * segments) and the limits they must meet. GraphQL inputs and webhook mappers both check against these, so a
 * value is valid or not whichever way it arrives.
 */
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Attributes are flat: the answerer reads them as "key: value", and nesting would make them unbounded. */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;
/** A change to attributes: given keys are set, a null value removes the key, keys not given are kept. */
export type AttributesPatch = Record<string, AttributeValue | null>;
/** Counter name → current value, e.g. { "api_calls_30d": 1234 }. */
export type UsageCounters = Record<string, number>;

export const PROFILE_LIMITS = {
  /** Keys in one patch. */
  keys: 100,
  /** Keys an account or customer may hold once patches are merged. */
  storedKeys: 200,
  keyLength: 100,
  stringValueLength: 1000,
  labels: 100,
  labelLength: 100,
} as const;

const KEY = /^[A-Za-z0-9_.:-]+$/;

/** JSON objects: from JSON.parse (Object prototype) or from a GraphQL literal (graphql-scalars uses a null prototype). */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

function keyProblem(key: string): string | null {
  if (key.length === 0 || key.length > PROFILE_LIMITS.keyLength) return `key "${key.slice(0, 40)}" must be 1 to ${PROFILE_LIMITS.keyLength} characters`;
  if (!KEY.test(key)) return `key "${key.slice(0, 40)}" may only contain letters, digits, "_", ".", ":" and "-"`;
  if (key.startsWith('__')) return `key "${key.slice(0, 40)}" must not start with "__"`;
  return null;
}

function mapProblem(value: unknown, valueProblem: (key: string, entry: unknown) => string | null): string | null {
  if (!isPlainObject(value)) return 'must be a JSON object';
  const entries = Object.entries(value);
  if (entries.length > PROFILE_LIMITS.keys) return `may hold at most ${PROFILE_LIMITS.keys} keys; got ${entries.length}`;
  for (const [key, entry] of entries) {
    const problem = keyProblem(key) ?? valueProblem(key, entry);
    if (problem) return problem;
  }
  return null;
}

/** Why a value is not a valid attributes patch, or null when it is. */
export function attributesPatchProblem(value: unknown): string | null {
  return mapProblem(value, (key, entry) => {
    if (entry === null || typeof entry === 'boolean') return null;
    if (typeof entry === 'number') return Number.isFinite(entry) ? null : `value of "${key}" must be a finite number`;
    if (typeof entry === 'string') {
      return entry.length <= PROFILE_LIMITS.stringValueLength ? null : `value of "${key}" must be at most ${PROFILE_LIMITS.stringValueLength} characters`;
    }
    return `value of "${key}" must be a string, number, boolean or null (to remove it); nested objects and lists are not allowed`;
  });
}

/** Why a value is not a valid set of usage counters, or null when it is. */
export function usageProblem(value: unknown): string | null {
  return mapProblem(value, (key, entry) =>
    typeof entry === 'number' && Number.isFinite(entry) && entry >= 0 ? null : `counter "${key}" must be a finite number ≥ 0`,
  );
}

/** Why a list of feature flags or segments is not valid, or null when it is. */
export function labelsProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be a list of strings';
  if (value.length > PROFILE_LIMITS.labels) return `may hold at most ${PROFILE_LIMITS.labels} entries; got ${value.length}`;
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.trim().length === 0 || entry.length > PROFILE_LIMITS.labelLength) {
      return `entries must be non-empty strings of at most ${PROFILE_LIMITS.labelLength} characters`;
    }
  }
  return null;
}

/** Trimmed, without duplicates, in the order given. */
export function normalizeLabels(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value.length > 0))];
}

function validatedBy(name: string, problem: (value: unknown) => string | null, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${problem(args?.value) ?? 'is not valid'}`,
      },
    },
    options,
  );
}

export const IsAttributesPatch = (options?: ValidationOptions) => validatedBy('isAttributesPatch', attributesPatchProblem, options);
export const IsUsageCounters = (options?: ValidationOptions) => validatedBy('isUsageCounters', usageProblem, options);
export const IsLabelList = (options?: ValidationOptions) => validatedBy('isLabelList', labelsProblem, options);
