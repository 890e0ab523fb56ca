/**
 * productChangeReview (id `product-change-review-<productChangeId>`): a recorded product change flagged
 * knowledge as stale and asked for review. This waits until every flagged item is reviewed (edited, or its
 * flag reverted) or the deadline passes, then closes the review — reporting what was left unreviewed.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { LoopdeskActivities } from './activities';

export interface ProductChangeReviewInput {
  workspaceId: string;
  productChangeId: string;
  deadlineMs: number;
  checkEveryMs: number;
}

export interface ProductChangeReviewResult {
  outcome: 'completed' | 'overdue';
  pendingItemIds: string[];
}

const { productChangeReviewStatus, closeProductChangeReview } = proxyActivities<LoopdeskActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN'] },
});

export async function productChangeReview(input: ProductChangeReviewInput): Promise<ProductChangeReviewResult> {
  const deadline = Date.now() + input.deadlineMs;
  for (;;) {
    const { pendingItemIds } = await productChangeReviewStatus({ workspaceId: input.workspaceId, productChangeId: input.productChangeId });
    const outcome = pendingItemIds.length === 0 ? 'completed' : Date.now() >= deadline ? 'overdue' : null;
    if (outcome) {
      await closeProductChangeReview({ workspaceId: input.workspaceId, productChangeId: input.productChangeId, outcome, pendingItemIds });
      return { outcome, pendingItemIds };
    }
    await sleep(Math.min(input.checkEveryMs, deadline - Date.now()));
  }
}
