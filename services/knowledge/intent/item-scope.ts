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
 * Whether `rival` could be served in the narrowest context an example of `item` may come from: on one of the
 * item's plans (any plan when it has none, which only an unscoped rival is sure to serve) and from a page in only the
 * item's areas. An unscoped item's examples could come from anywhere, so they keep scoped answers out of their
 * updates: nothing says the asker was where those are served.
 */
export function mayRival(item: ItemScope, rival: ItemScope): boolean {
  const plans = rival.plans.length === 0 || (item.plans.length > 0 && item.plans.every((plan) => rival.plans.includes(plan)));
  return plans && rival.areas.every((area) => item.areas.includes(area));
}
