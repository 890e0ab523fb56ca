/**
 * Where a question comes from, as the buckets learning keeps apart: the asker's plan, billing state and tenure
 * (how long since their account signed up), and the product areas of the page they ask from. Conversation
 * derives them for each turn; knowledge keeps outcome statistics per (item, bucket key) and scopes corrections
 * by plan and page area. The keys are plain strings (`plan:pro`, `billing:past_due`, `tenure:first_week`,
 * `area:billing`), so a new kind of bucket needs no schema change anywhere.
 */
import { productAreasOfPage } from './product-areas';

export type Tenure = 'first_week' | 'first_month' | 'established';

export interface AskerBuckets {
  plan: string | null;
  billingState: string | null;
  tenure: Tenure | null;
  /** The product areas of the page, outermost first (product-areas.ts). */
  pageAreas: string[];
}

/**
 * Page areas that get a statistics key of their own: the outermost ones. Deeper segments are mostly sub-pages
 * of those (`/settings/billing/invoices`), and every key a verdict counts in dilutes what each key says.
 */
const AREA_KEYS = 3;
const DAY_MS = 86_400_000;

/** Tenure from the account's sign-up date; null when it is not known. */
export function tenureOf(signedUpAt: Date | string | null | undefined, now = Date.now()): Tenure | null {
  if (!signedUpAt) return null;
  const since = new Date(signedUpAt).getTime();
  if (Number.isNaN(since)) return null;
  const days = (now - since) / DAY_MS;
  return days < 7 ? 'first_week' : days < 30 ? 'first_month' : 'established';
}

export function bucketsOf(context: { plan: string | null; billingState: string | null; signedUpAt?: Date | string | null } | null, page: string | null | undefined, now = Date.now()): AskerBuckets {
  return {
    plan: context?.plan || null,
    billingState: context?.billingState || null,
    tenure: tenureOf(context?.signedUpAt, now),
    pageAreas: productAreasOfPage(page),
  };
}

/** The statistics keys of a context (an unknown part gives no key: it says nothing about where the asker is). */
export function contextKeys(buckets: AskerBuckets): string[] {
  const keys: string[] = [];
  if (buckets.plan) keys.push(`plan:${buckets.plan}`);
  if (buckets.billingState) keys.push(`billing:${buckets.billingState}`);
  if (buckets.tenure) keys.push(`tenure:${buckets.tenure}`);
  for (const area of buckets.pageAreas.slice(0, AREA_KEYS)) keys.push(`area:${area}`);
  return keys;
}
