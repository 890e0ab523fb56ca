/**
 * What knowledge's internal endpoint takes and gives, as plain types: the one definition shared by knowledge's own
 * GraphQL types (which `implements` them) and by its clients (conversation's clients/knowledge.ts, the worker's
 * workflows/clients/knowledge-client.ts). A field renamed or retyped on either side then breaks the build instead
 * of a request at run time.
 *
 * Why other folders may import this file (and only this one) of knowledge: it holds no entities, no ORM, no
 * type-graphql and no code, so a client that imports it learns the shape of the wire and nothing of knowledge's
 * inside, and loads nothing at run time. Lint allows `services/<name>/contracts.ts` across service folders and
 * to the worker for that reason.
 */

/** One passage retrieval offers for answering a question, with the item it belongs to. */
export interface RetrievalCandidate {
  knowledgeItemId: string;
  kind: string;
  title: string;
  topic: string;
  itemVersion: number;
  stale: boolean;
  /** Marked sensitive (the item or its topic). */
  sensitive: boolean;
  passageId: string;
  passageText: string;
  /** The learned question that matched, if any. */
  matchedQuestion: string | null;
  score: number;
}

/** A correction's language and context: where its learned answer is served, and where its question was asked. */
export interface CorrectionContext {
  /** The question's language (ISO 639): the learned answer's locale (default 'en'). */
  locale?: string;
  /** Serve the learned answer only to askers on one of these plans (empty or absent: every plan). */
  scopePlans?: string[];
  /** Serve it only from pages in all of these product areas (empty or absent: any page). */
  scopeAreas?: string[];
  /** Where the corrected question was asked: the asker's plan (absent: unknown) and the page's product areas (absent: not known at all). */
  askedPlan?: string;
  askedAreas?: string[];
  /**
   * The topic the corrected question was classified under (absent or empty: none): the learned answer's topic when
   * the agent cites no item, so it is counted, and held to a threshold, with its topic's questions.
   */
  askedTopic?: string;
}

/** An agent's correction of an AI answer, for knowledge to learn as the answer to the customer's question. */
export interface CorrectionToLearn extends CorrectionContext {
  conversationId: string;
  messageId: string;
  question: string;
  correctedText: string;
  /** The knowledge items the corrected answer draws on. */
  references: string[];
  agent: string;
  /** Stable per correction (e.g. the corrected message id): a retry returns the first result. */
  idempotencyKey: string;
  /** The items the corrected AI answer cited (a learned answer among them may be contradicted by the correction). */
  correctedItemIds?: string[];
}

/** What learning from a correction did: a new learned answer, another phrasing for one, or nothing (learning frozen). */
export type LearnOutcome = 'created' | 'variant_added' | 'not_learned';
