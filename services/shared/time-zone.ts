/**
 * IANA time zones as every part of Loopdesk must spell them. JavaScript's Intl accepts a zone in any letter case
 * ("europe/paris"); ClickHouse and Temporal's schedules only know the canonical spelling ("Europe/Paris"), so a
 * zone accepted as typed broke the workspace's insights, weekly reports and report schedule.
 */

/** The canonical spelling of an IANA time zone, or null when it is not one. */
export function canonicalTimeZone(value: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
