import { AnswerDecision, HandOffReason } from '../../services/conversation/conversation/conversation.types';
import { decide } from '../../services/conversation/ask/answer-policy';
import type { Retrieval } from '../../services/conversation/clients/knowledge';
import { CorpusTerms, PassageTerms, confidenceOf, contextLift, itemScore, passageRelevance } from '../../services/knowledge/retrieval/ranking';

// Two question terms: a rare one (2 of 100 passages hold it) and a common one (60 of 100).
const corpus: CorpusTerms = { termPassages: [2, 60], totalPassages: 100, totalLength: 3000 };
const passage = (overrides: Partial<PassageTerms>): PassageTerms => ({ passageTf: [0, 0], titleTf: [0, 0], passageLength: 30, titleSimilarity: 0, ...overrides });

describe('BM25F passage relevance', () => {
  it('a rare term of the question counts for more than a common one', () => {
    expect(passageRelevance(passage({ passageTf: [1, 0] }), corpus)).toBeGreaterThan(passageRelevance(passage({ passageTf: [0, 1] }), corpus));
  });

  it('the same terms in the title count for more than in the body', () => {
    expect(passageRelevance(passage({ titleTf: [1, 1] }), corpus)).toBeGreaterThan(passageRelevance(passage({ passageTf: [1, 1] }), corpus));
  });

  it('a long passage needs more occurrences than a short one for the same relevance', () => {
    expect(passageRelevance(passage({ passageTf: [1, 1], passageLength: 10 }), corpus)).toBeGreaterThan(passageRelevance(passage({ passageTf: [1, 1], passageLength: 90 }), corpus));
  });

  it('is a share of what the question could score: between 0 and 1, and 0 for a passage without its terms', () => {
    const best = passageRelevance(passage({ passageTf: [50, 50], titleTf: [3, 3], titleSimilarity: 1, passageLength: 5 }), corpus);
    expect(best).toBeGreaterThan(0.8);
    expect(best).toBeLessThanOrEqual(1);
    expect(passageRelevance(passage({}), corpus)).toBe(0);
    expect(passageRelevance(passage({ passageTf: [1] }), { termPassages: [], totalPassages: 0, totalLength: 0 })).toBe(0);
  });

  it('a similar title lifts a passage that shares no stemmed term (a "top-up" title for a "topping up" question)', () => {
    expect(passageRelevance(passage({ passageTf: [1, 0], titleSimilarity: 0.6 }), corpus)).toBeGreaterThan(passageRelevance(passage({ passageTf: [1, 0] }), corpus));
  });
});

describe('retrieval confidence', () => {
  it("grows with the winner's lead, not with its score alone", () => {
    expect(confidenceOf(0.9, 0.85)).toBeLessThan(confidenceOf(0.5, 0.1));
    expect(confidenceOf(0.5, 0.1)).toBeLessThan(confidenceOf(0.6, 0.1));
    expect(confidenceOf(0.5, 0.5)).toBe(0);
    expect(confidenceOf(0, 0)).toBe(0);
    expect(confidenceOf(1, 0)).toBeLessThan(1);
  });
});

describe("an item's evidence in the asker's context", () => {
  const own = { good: 12, bad: 4 };
  const scored = (context?: { good: number; bad: number }) => itemScore({ ...own, passageRelevance: 0.6, variantRelevance: 0, stale: false, context });

  it('lifts nothing where the item fares as it does everywhere, however many verdicts the buckets hold', () => {
    // The asker's two buckets hold every verdict of the item between them, and one bucket half of them again.
    expect(contextLift(own, { good: 18, bad: 6 })).toBeCloseTo(1, 12);
    expect(contextLift(own, { good: 3, bad: 1 })).toBeCloseTo(1, 12);
    expect(scored({ good: 18, bad: 6 })).toBeCloseTo(scored(), 12);
    expect(contextLift(own, { good: 0, bad: 0 })).toBe(1);
  });

  it('lowers an item that keeps failing in the context, and more with more verdicts there', () => {
    const few = contextLift(own, { good: 0, bad: 2 });
    const many = contextLift(own, { good: 0, bad: 10 });
    expect(few).toBeLessThan(1);
    expect(many).toBeLessThan(few);
    expect(many).toBeGreaterThanOrEqual(1 / 3);
    expect(scored({ good: 0, bad: 10 })).toBeLessThan(scored());
  });

  it('raises one that works in the context where it fails elsewhere', () => {
    expect(contextLift({ good: 5, bad: 10 }, { good: 5, bad: 0 })).toBeGreaterThan(1);
  });
});

describe('the answer decision on sensitive knowledge', () => {
  const candidate = { knowledgeItemId: 'a', kind: 'article', title: 'Card fraud', topic: 'fraud', itemVersion: 1, stale: false, sensitive: true, passageId: 'p', passageText: 'Freeze the card.', matchedQuestion: null, score: 0.8 };
  const retrieval = (overrides: Partial<Retrieval>): Retrieval => ({ candidates: [candidate], topic: 'fraud', confidence: 0.9, threshold: 0.95, sensitive: true, scale: 'retrieval', ...overrides });

  it('hands off with SENSITIVE_KNOWLEDGE when the confidence is under the sensitive bar', () => {
    expect(decide('my card was used by someone else', retrieval({}))).toMatchObject({ decision: AnswerDecision.HANDED_OFF, handOffReason: HandOffReason.SENSITIVE_KNOWLEDGE, threshold: 0.95 });
  });

  it('answers at or above the bar, and says LOW_CONFIDENCE for knowledge that is not sensitive', () => {
    expect(decide('my card was used by someone else', retrieval({ confidence: 0.96 }))).toMatchObject({ decision: AnswerDecision.ANSWERED, handOffReason: null });
    expect(decide('my card was used by someone else', retrieval({ sensitive: false, threshold: 0.92 }))).toMatchObject({ handOffReason: HandOffReason.LOW_CONFIDENCE });
  });
});
