/**
 * IANA time zones as every part of Loopdesk must spell them. JavaScript's Intl accepts a zone in any letter case
 * ("europe/paris"); ClickHouse and Temporal's schedules only know the canonical spelling ("Europe/Paris"), so a
 * zone accepted as typed broke the workspace's insights, weekly reports and report schedule.
 */

/**
 * Spellings already resolved. Building an Intl.DateTimeFormat to ask costs tens of microseconds, and every
 * workspace read asks (10% of account-context's CPU per ask, a CPU profile of npm run bench:ask). Only zones are
 * kept, and at most this many spellings: letter-case variants typed by users cannot grow it without bound.
 */
const MAX_REMEMBERED = 1_000;
const remembered = new Map<string, string>();

/** The canonical spelling of an IANA time zone, or null when it is not one. */
export function canonicalTimeZone(value: string): string | null {
  const known = remembered.get(value);
  if (known !== undefined) return known;
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(value, zone);
  return zone;
}
