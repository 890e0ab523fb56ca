/** Reading provider payloads with zod: one error shape for every mapper, and the value types they share. */
import { z } from 'zod';
import { badInput } from '../../shared/errors';
import { pathToUnstorableText } from '../../shared/unstorable-text';

/**
 * The webhook body as JSON. A "__proto__" key is refused outright: once parsed objects are copied (as
 * validation does), it would turn into a prototype and smuggle unvalidated fields in. So is text Postgres cannot
 * store anywhere (an id, a name, a key): a NUL character or half of a surrogate pair.
 */
export function parseJsonBody(body: Buffer): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'), (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ key');
      return value;
    });
  } catch {
    throw badInput('The webhook body must be JSON, without "__proto__" keys');
  }
  const unstorable = pathToUnstorableText(parsed);
  if (unstorable !== undefined) throw badInput(`The webhook body's field "${unstorable.path || '(body)'}" contains ${unstorable.character}, which is not allowed`);
  return parsed;
}

export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
  throw badInput(`The ${what} is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues });
}

/** The event type, read before the full validation so that events nobody handles are not held to a schema. */
export function eventTypeOf(payload: unknown, field: string, what: string): string {
  return parsePayload(z.object({ [field]: z.string().min(1).max(200) }), payload, what)[field] as string;
}

export const externalId = z.string().trim().min(1).max(200);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH_MS = /^\d{10,15}$/;

/** Dates arrive as ISO 8601 strings or epoch milliseconds (as a number or a numeric string); "" means "none". */
export const flexibleDate = z.union([z.string().trim(), z.number()]).transform((value, ctx): Date | null => {
  if (value === '') return null;
  const readable = typeof value === 'number' || EPOCH_MS.test(value) || ISO_DATE.test(value);
  const date = typeof value === 'number' || EPOCH_MS.test(value) ? new Date(Number(value)) : new Date(value);
  if (!readable || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date or epoch milliseconds' });
    return z.NEVER;
  }
  return date;
});

export const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
