/**
 * Decides whether the AI answers alone or hands off. Knowledge supplies the candidates, the confidence and the
 * bar it must clear (the topic's learned threshold, or the workspace's sensitive bar when the best item is marked
 * sensitive); this adds what only the conversation knows (the customer asked for a person) and refuses to answer
 * confidently from knowledge flagged stale by a product change.
 */
import type { Retrieval, RetrievalCandidate } from '../clients/knowledge';
import { AnswerDecision, HandOffReason } from '../conversation/conversation.types';

const ASKS_FOR_HUMAN = /\b(human|real person|live agent|an agent|representative|talk to (someone|somebody|a person))\b/i;

export interface Decision {
  decision: AnswerDecision;
  handOffReason: HandOffReason | null;
  confidence: number;
  threshold: number;
  topic: string;
  best: RetrievalCandidate | null;
}

export function decide(question: string, retrieval: Retrieval): Decision {
  const best = retrieval.candidates[0] ?? null;
  const base = { confidence: retrieval.confidence, threshold: retrieval.threshold, topic: retrieval.topic, best };
  const handOff = (reason: HandOffReason): Decision => ({ ...base, decision: AnswerDecision.HANDED_OFF, handOffReason: reason });
  if (ASKS_FOR_HUMAN.test(question)) return handOff(HandOffReason.CUSTOMER_ASKED);
  if (!best) return { ...handOff(HandOffReason.NO_KNOWLEDGE), confidence: 0 };
  if (best.stale) return handOff(HandOffReason.STALE_KNOWLEDGE);
  // A threshold above 1 is the learned policy "this topic is handed off", not a lack of confidence.
  if (retrieval.threshold > 1) return handOff(HandOffReason.POLICY);
  if (retrieval.confidence < retrieval.threshold) return handOff(retrieval.sensitive ? HandOffReason.SENSITIVE_KNOWLEDGE : HandOffReason.LOW_CONFIDENCE);
  return { ...base, decision: AnswerDecision.ANSWERED, handOffReason: null };
}

/** The workspace has no knowledge in the question's language (and no model to translate it): a person answers. */
export function handOffUnsupportedLanguage(retrieval: Retrieval): Decision {
  return { confidence: 0, threshold: retrieval.threshold, topic: retrieval.topic, best: null, decision: AnswerDecision.HANDED_OFF, handOffReason: HandOffReason.UNSUPPORTED_LANGUAGE };
}
