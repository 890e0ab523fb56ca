/**
 * The context benchmark's world, built from any data set in the shared layout: askers on two plans asking from two
 * page areas, and a few labels whose right answer depends on one of them. Each such label's article becomes two
 * versions, both visible to everyone and worded alike, that differ only in what they say for their plan (a fee
 * that is free on one plan and charged on the other) or page area (where the steps are, web or mobile). Which
 * version is right for a question depends on who asks, not on its words: only context can tell.
 */
import type { ArticleFields } from '../../../services/knowledge/knowledge-item/knowledge-item.service';
import { prng } from '../bench-support';
import { shuffled } from '../learning/dataset';

export const PLANS = ['starter', 'business'] as const;
/** Two pages, one product area each (services/shared/product-areas.ts reads `/web` as the area `web`). */
export const PAGES = ['/web', '/mobile'] as const;

export type Plan = (typeof PLANS)[number];
export type Page = (typeof PAGES)[number];
export type Dependence = 'plan' | 'page';

export interface AskerContext {
  plan: Plan;
  page: Page;
}

/** A version of an article, or (null) the article itself when its label does not depend on context. */
export type Variant = Plan | Page | null;

/** The correction scope an agent who knows why the answers differ would choose (CorrectAnswerInput.scope). */
export const SCOPE_OF: Record<Dependence | 'none', string> = { plan: 'PLAN', page: 'PAGE_AREA', none: 'EVERYONE' };

/** `count` labels chosen with the seed, the first half depending on the plan and the rest on the page area. */
export function chooseDependentLabels(labels: readonly string[], count: number, seed: number): Map<string, Dependence> {
  const chosen = shuffled([...labels].sort(), seed).slice(0, count);
  return new Map(chosen.map((label, i) => [label, i < Math.ceil(count / 2) ? 'plan' : 'page']));
}

/** The version right for an asker in `context`, for a label that depends on `dependence` (null: the one article). */
function variantFor(dependence: Dependence | undefined, context: AskerContext): Variant {
  return dependence === 'plan' ? context.plan : dependence === 'page' ? context.page : null;
}

const PLAN_NAMES: Record<Plan, string> = { starter: 'Starter', business: 'Business' };
const PAGE_NAMES: Record<Page, string> = { '/web': 'web dashboard', '/mobile': 'mobile app' };

export interface VersionedArticle extends ArticleFields {
  label: string;
  variant: Variant;
}

/** Every article, with the context-dependent ones replaced by their two versions (each with its own external key). */
export function versionedArticles(articles: readonly ArticleFields[], dependent: ReadonlyMap<string, Dependence>): VersionedArticle[] {
  return articles.flatMap((article): VersionedArticle[] => {
    const label = article.externalKey!;
    const dependence = dependent.get(label);
    if (!dependence) return [{ ...article, label, variant: null }];
    if (dependence === 'plan') {
      return PLANS.map((plan, i) => ({
        ...article,
        externalKey: `${label}@plan:${plan}`,
        title: `${article.title} (${PLAN_NAMES[plan]} plan)`,
        body: `On the ${PLAN_NAMES[plan]} plan: ${article.body}\n\n${i === 0 ? `On the ${PLAN_NAMES[plan]} plan this is free of charge.` : `On the ${PLAN_NAMES[plan]} plan a fee of 5 dollars applies each time.`}`,
        label,
        variant: plan,
      }));
    }
    return PAGES.map((page) => ({
      ...article,
      externalKey: `${label}@page:${page}`,
      title: `${article.title} (${PAGE_NAMES[page]})`,
      body: `In the ${PAGE_NAMES[page]}: ${article.body}\n\n${page === '/web' ? 'In the web dashboard these steps start from the Settings menu at the top right.' : 'In the mobile app these steps start from the Profile tab at the bottom.'}`,
      label,
      variant: page,
    }));
  });
}

/** A context per asker, drawn with the seed: plans and pages alike. */
export function drawContexts(count: number, seed: number): AskerContext[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => ({ plan: PLANS[Math.floor(random() * PLANS.length)]!, page: PAGES[Math.floor(random() * PAGES.length)]! }));
}

/** What the harness knows of each knowledge item: the label it answers and, for a context-dependent label, for which context. */
export class ContextGrounding {
  private readonly items = new Map<string, { label: string; variant: Variant }>();
  /** Per label and variant, the article version's id and body (what an agent corrects with). */
  private readonly sources = new Map<string, { id: string; body: string }>();

  constructor(private readonly dependent: ReadonlyMap<string, Dependence>) {}

  item(id: string, label: string, variant: Variant): void {
    this.items.set(id, { label, variant });
  }

  source(label: string, variant: Variant, id: string, body: string): void {
    this.item(id, label, variant);
    this.sources.set(`${label} ${variant}`, { id, body });
  }

  /** The article (version) an agent answers from for this label in this context. */
  sourceFor(label: string, context: AskerContext): { id: string; body: string; variant: Variant } {
    const variant = variantFor(this.dependent.get(label), context);
    const found = this.sources.get(`${label} ${variant}`);
    if (!found) throw new Error(`no article for ${label} (${String(variant)})`);
    return { ...found, variant };
  }

  /** The label an item answers, and whether that label depends on context; undefined for an item the harness never saw. */
  labelOf(itemId: string): { label: string; dependent: boolean } | undefined {
    const known = this.items.get(itemId);
    return known && { label: known.label, dependent: this.dependent.has(known.label) };
  }

  isRight(itemId: string | undefined, label: string, context: AskerContext): boolean {
    const known = itemId === undefined ? undefined : this.items.get(itemId);
    return known !== undefined && known.label === label && known.variant === variantFor(this.dependent.get(label), context);
  }
}
