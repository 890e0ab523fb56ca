/**
 * Where an agent's correction applies. By default, the context it was made in: the asker's plan and the product
 * areas of the page they asked from (what is known of them). The agent may widen it to the plan alone, the page
 * area alone, or everyone. Knowledge serves the learned answer only there (and ignores the scope when the
 * workspace has context learning off).
 */
import { badInput } from '../../shared/errors';
import { productAreasOfPage } from '../../shared/product-areas';
import type { MessageEntity } from '../conversation/message.entity';

export type CorrectionScopeKind = 'asked_context' | 'plan' | 'page_area' | 'everyone';

export interface Scope {
  plans: string[];
  areas: string[];
}

/** Where the corrected question was asked: the asker's plan (if known), the page's product areas, and the turn's topic (if any). */
export function askedContext(turn: Pick<MessageEntity, 'askerContext' | 'page'> & Partial<Pick<MessageEntity, 'topic'>>): { askedPlan?: string; askedAreas: string[]; askedTopic?: string } {
  const plan = turn.askerContext?.plan || null;
  return { ...(plan ? { askedPlan: plan } : {}), askedAreas: productAreasOfPage(turn.page), ...(turn.topic ? { askedTopic: turn.topic } : {}) };
}

export function correctionScope(turn: Pick<MessageEntity, 'askerContext' | 'page'>, kind: CorrectionScopeKind): Scope {
  const { askedPlan: plan, askedAreas: areas } = askedContext(turn);
  const plans = plan ? [plan] : [];
  switch (kind) {
    case 'everyone':
      return { plans: [], areas: [] };
    case 'plan':
      if (!plan) throw badInput("The asker's plan is not known, so the correction cannot be scoped to it; choose PAGE_AREA or EVERYONE");
      return { plans, areas: [] };
    case 'page_area':
      if (areas.length === 0) throw badInput('The question was not asked from a page with a product area, so the correction cannot be scoped to one; choose PLAN or EVERYONE');
      return { plans: [], areas };
    case 'asked_context':
      return { plans, areas };
  }
}
