/**
 * Context buckets for insights: where the asker was when they asked, as the warehouse knows it from the plan and
 * page that conversation stamps on questions, answers, hand-offs and the customer signals about them. A page's
 * bucket is its first (outermost) product area under services/shared/product-areas.ts's rule
 * (`/settings/billing/invoices/42` → settings). Billing state and tenure are not in the warehouse, so they are
 * not buckets here.
 *
 * PAGE_AREA_SQL is that rule in ClickHouse SQL, so a filter or a grouping runs where the rows are, on raw events and
 * on the hourly rollups alike (both keep the page verbatim); tests/integration/page-area-sql.test.ts holds it to
 * productAreasOfPage on awkward pages.
 */
import { badInput } from '../shared/errors';
import { normalizeProductArea } from '../shared/product-areas';

export interface AskerContext {
  plan?: string;
  /** A product area, normalised as product-areas.ts normalises them. */
  pageArea?: string;
}

/** The kinds of bucket a breakdown can be by. */
export type ContextKind = 'plan' | 'pageArea';

/**
 * What String.prototype.trim and JavaScript's \s match (WhiteSpace and LineTerminator), as an RE2 class in a SQL
 * string literal (RE2's own \s lacks most of it; `\\p` reaches RE2 as `\p`).
 */
const JS_SPACE = '[\\t\\n\\x0B\\f\\r\\\\p{Zs}\u2028\u2029\uFEFF]';

/** product-areas.ts's pathOf: a full URL by its path (a hash route by the route), a hash route, no query string. */
const pathOf = (page: string) => `splitByChar('?', multiIf(
      match(${page}, '^[a-zA-Z][a-zA-Z0-9+.-]*://'), if(startsWith(fragment(${page}), '/'), fragment(${page}), path(${page})),
      position(${page}, '#') > 0,
        if(startsWith(substring(${page}, position(${page}, '#') + 1), '/'), substring(${page}, position(${page}, '#') + 1), substring(${page}, 1, position(${page}, '#') - 1)),
      ${page}))[1]`;

/** normalizeProductArea of a decoded segment `s`. */
const NORMALIZED_SEGMENT = `replaceRegexpAll(replaceRegexpAll(lowerUTF8(replaceRegexpAll(decodeURLComponent(s), '^${JS_SPACE}+|${JS_SPACE}+$', '')), '(${JS_SPACE}|_)+', '-'), '^-+|-+$', '')`;

/** The first product area of the page in `column` ('' when it has none): productAreasOfPage(page)[0] ?? ''. */
export const pageAreaSql = (column = 'page') => {
  const trimmed = `replaceRegexpAll(${column}, '^${JS_SPACE}+|${JS_SPACE}+$', '')`;
  return `arrayElement(arrayFilter(s -> s != '' AND NOT match(s, '[0-9]'), arrayMap(s -> ${NORMALIZED_SEGMENT}, splitByChar('/', ${pathOf(trimmed)}))), 1)`;
};

/**
 * True for rows in the context bound as {plan:String} and {pageArea:String}; '' binds "any". Reads the `plan` and
 * `page` columns of interaction_events and hourly_events. The page area is worked out only when one is asked for.
 */
export const IN_CONTEXT_SQL = `({plan:String} = '' OR plan = {plan:String}) AND ({pageArea:String} = '' OR ${pageAreaSql()} = {pageArea:String})`;

/** The bound parameters of IN_CONTEXT_SQL for a context (none given: every row). */
export function contextParams(context: AskerContext | undefined): { plan: string; pageArea: string } {
  return { plan: context?.plan ?? '', pageArea: context?.pageArea ?? '' };
}

/** Whether a context narrows anything. */
export const narrows = (context: AskerContext | undefined): boolean => Boolean(context?.plan || context?.pageArea);

/**
 * A context as an analyst typed it, checked and normalised: a page area is compared in product-areas.ts's normal
 * form ("Billing Settings" → billing-settings); one with a digit can never match (such segments are ids, not areas).
 */
export function askerContextOf(input: { plan?: string | null; pageArea?: string | null } | null | undefined): AskerContext | undefined {
  if (!input) return undefined;
  const context: AskerContext = {};
  if (input.plan) context.plan = input.plan;
  if (input.pageArea) {
    const area = normalizeProductArea(input.pageArea);
    if (area.length === 0 || /\d/.test(area)) throw badInput('pageArea must be a product area: a page path segment with a letter and no digits, such as "billing"');
    context.pageArea = area;
  }
  return context;
}
