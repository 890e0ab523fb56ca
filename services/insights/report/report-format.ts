/**
 * How the weekly report writes numbers, durations and dates, and how it makes customer- and
 * admin-supplied text safe for Markdown and HTML. Shared by the renderers and the charts so a
 * figure reads the same in a table, a sentence and an axis label.
 */

/** Shown for a figure that does not exist (nothing to divide by, no previous week). */
const NONE = '—';

// A true minus sign: a hyphen reads as a dash next to "pp" and "%".
const MINUS = '\u2212';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (value: number | null): string => (value === null ? NONE : countFormat.format(value));

/** A count and its noun, agreeing: "1 question", "2 questions", "1,204 questions". */
export const formatQuantity = (value: number, one: string, many = `${one}s`): string => `${countFormat.format(value)} ${value === 1 ? one : many}`;

/** One decimal, for means such as a weekly baseline. */
export const formatDecimal = (value: number): string => decimalFormat.format(value);

/** A fraction in [0, 1] as a percentage with one decimal: 0.8 → "80.0%". */
export const formatPercent = (rate: number | null): string => (rate === null ? NONE : `${(rate * 100).toFixed(1)}%`);

/** Rates change in percentage points: 0.75 → 0.8 is "+5.0 pp", not "+6.7%". */
export function formatPointChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return NONE;
  return `${signedFixed((current - previous) * 100)} pp`;
}

/** Counts change relatively; there is no relative change from zero. */
export function formatRelativeChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null || previous === 0) return NONE;
  return `${signedFixed(((current - previous) / previous) * 100)}%`;
}

/** Seconds as a person would say them: "42s", "4m 12s", "1h 05m", "2d 03h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return NONE;
  const total = Math.round(Math.abs(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const secs = total % 60;
  if (days > 0) return `${days}d ${pad2(hours)}h`;
  if (hours > 0) return `${hours}h ${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad2(secs)}s`;
  return `${secs}s`;
}

/** A duration's change as a signed duration ("−1m 18s"): a percentage of a median wait says little. */
export function formatDurationChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return NONE;
  const delta = Math.round(current - previous);
  if (delta === 0) return '0s';
  return `${delta > 0 ? '+' : MINUS}${formatDuration(delta)}`;
}

/** A Poisson tail probability, without pretending to precision below a thousandth. */
export const formatPValue = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

// Calendar days (YYYY-MM-DD) are already local to the workspace: format them as UTC so no zone shifts them.
const calendarDay = (ymd: string) => new Date(`${ymd}T00:00:00Z`);
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const weekdayDayMonth = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "2026-11-23" → "23 Nov" (axis labels). */
export const formatShortDay = (ymd: string): string => dayMonth.format(calendarDay(ymd));
/** "2026-11-24" → "Mon 24 Nov". */
export const formatWeekday = (ymd: string): string => weekdayDayMonth.format(calendarDay(ymd));
/** "2026-11-23" → "23 Nov 2026". */
export const formatDay = (ymd: string): string => dayMonthYear.format(calendarDay(ymd));

/** An instant's calendar day in a time zone: "24 Nov 2026". */
export function formatInstantDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

/** An instant to the minute in a time zone: "1 Dec 2026, 06:00". */
export function formatInstant(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone,
  }).format(new Date(iso));
}

/**
 * The reported days, first to last, in the workspace time zone: "Mon 24 Nov 2026 – Sun 30 Nov 2026".
 * The end is read as exclusive (ranges are half-open everywhere in insights), so the last day shown is
 * the one holding the instant just before it; an inclusive end (…23:59:59.999) lands on the same day.
 */
export function formatPeriod(startIso: string, endIso: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const lastInstant = new Date(new Date(endIso).getTime() - 1);
  return `${format.format(new Date(startIso)).replace(',', '')} – ${format.format(lastInstant).replace(',', '')}`;
}

/** Line breaks in supplied text would end a table row or a list item early, or start a block of their own. */
export const singleLine = (text: string): string => text.replace(/\s+/g, ' ');

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values for HTML and SVG. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * Supplied text as inert Markdown inline text, safe in a table cell, a list item or a heading.
 * CommonMark lets any ASCII punctuation be backslash-escaped, and GFM reads `\|` as a literal pipe inside
 * a table. Characters that open markup anywhere are always escaped; the rest only where CommonMark would
 * read them as markup, so our own "52.0%" or "p < 0.001" stays readable: `<` before a tag or autolink,
 * `&` in an entity, list markers at the start followed by a space.
 */
export function markdownText(text: string): string {
  return singleLine(text)
    .replace(/[\\`*_[\]>|#~]/g, (c) => `\\${c}`)
    .replace(/<(?!\s|$)/g, '\\<')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/^([-+])(?=\s|$|-)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

function signedFixed(value: number): string {
  const rounded = Number(value.toFixed(1));
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : MINUS}${Math.abs(rounded).toFixed(1)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
