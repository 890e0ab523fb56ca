/**
 * Which items compete in the intent model's updates. A learned answer scoped to a context (learned-answer.service.ts)
 * is served only there, so two answers scoped to different plans or page areas never stand side by side: an update
 * for one must not push the other down as its rival, or the two would undo each other's lessons with every
 * correction. An example of an item was asked somewhere in the item's scope; a rival is an item that could have
 * been served there too.
 */
export interface ItemScope {
  /** Served only to askers on these plans; empty: every plan. */
  plans: readonly string[];
  /** Served only from pages in all of these product areas; empty: any page. */
  areas: readonly string[];
}

export const EVERYWHERE: ItemScope = Object.freeze({ plans: [], areas: [] });

export const isEverywhere = (scope: ItemScope) => scope.plans.length === 0 && scope.areas.length === 0;

/**
 * Whether an update towards `item` may push `rival` down. A scoped item's examples were asked in its scope: its
 * rivals are the items that could be served in the narrowest context there (on one of its plans, from a page in only
 * its areas), so two answers for two plans or two page areas never push each other down. An item served everywhere
 * keeps every item as a rival: its examples are questions that no scoped answer should win, wherever they were
 * asked (without that, a scoped answer's weights could only grow, and it would take other needs' questions in its
 * context: the context benchmark's other labels lost about a point on the dev split).
 */
export function mayRival(item: ItemScope, rival: ItemScope): boolean {
  if (isEverywhere(item)) return true;
  const plans = rival.plans.length === 0 || (item.plans.length > 0 && item.plans.every((plan) => rival.plans.includes(plan)));
  return plans && rival.areas.every((area) => item.areas.includes(area));
}
