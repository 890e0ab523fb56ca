/**
 * The answer-writing step of `ask`: given the ranked passages that retrieval found and the asker's account
 * context, write the reply and say which passages it rests on. Whether to answer at all is decided before this
 * step (answer-policy); an answerer is only called with at least one passage.
 */

export interface AnswerPassage {
  passageId: string;
  knowledgeItemId: string;
  itemVersion: number;
  title: string;
  text: string;
}

export interface AnswerContext {
  plan?: string;
  billingState?: string;
  openBugs?: Array<{ title: string; productAreas: string[] }>;
  page?: string;
}

export interface AnswerInput {
  question: string;
  /** Ranked, best first; never empty. */
  passages: AnswerPassage[];
  context: AnswerContext;
}

/** Why an answer was written without the model: the model timed out, failed, answered unusably, or none is configured. */
export type FallbackReason = 'timeout' | 'error' | 'invalid_output' | 'no_model';

export interface WrittenAnswer {
  text: string;
  /** Never empty; every id is one of the input passages. */
  citedPassageIds: string[];
  writer: 'model' | 'extractive';
  fallbackReason?: FallbackReason;
}

/** Never rejects for a model problem (it falls back instead); rejects only when called without passages. */
export interface Answerer {
  answer(input: AnswerInput): Promise<WrittenAnswer>;
}

export function assertHasPassages(input: AnswerInput): void {
  if (input.passages.length === 0) throw new Error('An answer needs at least one passage; hand off instead of calling the answerer');
}
