/** Ids arrive as GraphQL ID strings; malformed ones are the caller's mistake, not a database error. */
import { badInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, field: string): string {
  if (!isUuid(value)) throw badInput(`${field} must be an id returned by this API (a UUID); got "${value.slice(0, 64)}"`);
  return value.toLowerCase();
}
