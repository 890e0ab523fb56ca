/**
 * Which items compete in the intent model's updates. A learned answer scoped to a context (learned-answer.service.ts)
 * is served only there, so two answers scoped to different plans or page areas never stand side by side: an update
 * for one must not push the other down as its rival, or the two would undo each other's lessons with every
 * correction. A rival is an item that could have been served where the example was asked: exactly, when the example
 * knows where (a corrected question keeps its asker's plan and page areas), else as near as the item's scope says.
 */
export interface ItemScope {
  /** Served only to askers on these plans; empty: every plan. */
  plans: readonly string[];
  /** Served only from pages in all of these product areas; empty: any page. */
  areas: readonly string[];
}

export const EVERYWHERE: ItemScope = Object.freeze({ plans: [], areas: [] });

export const isEverywhere = (scope: ItemScope) => scope.plans.length === 0 && scope.areas.length === 0;

/** Where a question was asked: the asker's plan (null: unknown) and the product areas of the page. */
export interface AskedIn {
  plan: string | null;
  areas: readonly string[];
}

/** Whether an item with this scope is served to an asker there (the rule retrieval applies: retrieval.queries.ts). */
export function servedIn(scope: ItemScope, asked: AskedIn): boolean {
  const plan = scope.plans.length === 0 || (asked.plan !== null && scope.plans.includes(asked.plan));
  return plan && scope.areas.every((area) => asked.areas.includes(area));
}

/**
 * Whether an update towards `item`, for an example that does not know where it was asked, may push `rival` down. A
 * scoped item's examples were asked in its scope: its rivals are the items that could be served in the narrowest
 * context there (on one of its plans, from a page in only its areas), so two answers for two plans or two page areas
 * never push each other down. An item served everywhere keeps every item as a rival: nothing says where its example
 * was asked, and without that a scoped answer's weights could only grow, and it would take other needs' questions in
 * its context (on the context benchmark's dev split the other labels lost 3.5 points).
 */
export function mayRival(item: ItemScope, rival: ItemScope): boolean {
  if (isEverywhere(item)) return true;
  const plans = rival.plans.length === 0 || (item.plans.length > 0 && item.plans.every((plan) => rival.plans.includes(plan)));
  return plans && rival.areas.every((area) => item.areas.includes(area));
}
