/**
 * Decides whether the AI answers alone or hands off. The confidence needed is a workspace threshold for now;
 * learning it per topic from outcomes replaces the constant here.
 */
import type { RetrievedPassage } from '../clients/knowledge';
import { AnswerDecision, HandOffReason } from './conversation.types';

export const DEFAULT_ANSWER_THRESHOLD = 0.2;

const ASKS_FOR_HUMAN = /\b(human|real person|agent|representative|talk to (someone|somebody))\b/i;

export interface Decision {
  decision: AnswerDecision;
  handOffReason: HandOffReason | null;
  confidence: number;
  best: RetrievedPassage | null;
}

export function decide(question: string, passages: RetrievedPassage[], threshold = DEFAULT_ANSWER_THRESHOLD): Decision {
  const best = passages[0] ?? null;
  const confidence = best ? best.score : 0;
  if (ASKS_FOR_HUMAN.test(question)) return { decision: AnswerDecision.HANDED_OFF, handOffReason: HandOffReason.CUSTOMER_ASKED, confidence, best };
  if (!best) return { decision: AnswerDecision.HANDED_OFF, handOffReason: HandOffReason.NO_KNOWLEDGE, confidence: 0, best };
  if (confidence < threshold) return { decision: AnswerDecision.HANDED_OFF, handOffReason: HandOffReason.LOW_CONFIDENCE, confidence, best };
  return { decision: AnswerDecision.ANSWERED, handOffReason: null, confidence, best };
}
