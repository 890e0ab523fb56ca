/**
 * IANA time zones as every part of Loopdesk must spell them. JavaScript's Intl accepts a zone in any letter case
 * ("europe/paris"); ClickHouse and Temporal's schedules only know the canonical spelling ("Europe/Paris"), so a
 * zone accepted as typed broke the workspace's insights, weekly reports and report schedule.
 */

import { boundedMemo } from './memo';

/** The canonical spelling of an IANA time zone, or null when it is not one. */
export const canonicalTimeZone = boundedMemo(resolveTimeZone, 1_000);

/**
 * Asks Intl. Building an Intl.DateTimeFormat costs tens of microseconds, and every workspace read asks (10% of
 * account-context's CPU per ask, a CPU profile of npm run bench:ask): canonicalTimeZone remembers at most 1,000
 * spellings, so letter-case variants typed by users cannot grow it without bound.
 */
function resolveTimeZone(value: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
