/**
 * The answer without a model: the best passage, stated plainly and cited. A long passage is cut down to the
 * sentences that share the most words with the question, kept in their original order. Deterministic.
 */
import { Answerer, AnswerInput, AnswerPassage, FallbackReason, WrittenAnswer, assertHasPassages } from './answerer';
import { STOP_WORDS, sentences as splitSentences, stem, tokens } from '../../shared/text';
import { markdownToProse } from './plain-text';

/** Roughly what fits a chat bubble; a passage up to this length is quoted whole. */
export const EXTRACT_BUDGET = 600;

export class ExtractiveAnswerer implements Answerer {
  /** Used as the configured writer, its answers say why no model wrote them. */
  async answer(input: AnswerInput): Promise<WrittenAnswer> {
    return writeExtractiveAnswer(input, 'no_model');
  }
}

export function writeExtractiveAnswer(input: AnswerInput, fallbackReason: FallbackReason): WrittenAnswer {
  assertHasPassages(input);
  // Ranking already put the best first; skip a passage only when it has no readable text at all.
  const chosen = input.passages.map((passage) => ({ passage, prose: proseOf(passage) })).find((candidate) => candidate.prose.length > 0) ?? {
    passage: input.passages[0],
    prose: '',
  };
  const text = chosen.prose ? extractRelevant(chosen.prose, input.question, EXTRACT_BUDGET) : input.passages[0].title.trim();
  return { text, citedPassageIds: [chosen.passage.passageId], writer: 'extractive', fallbackReason };
}

function proseOf(passage: AnswerPassage): string {
  return markdownToProse(passage.text);
}

/** The whole prose when it fits; otherwise the best-matching sentences within the budget, in original order. */
function extractRelevant(prose: string, question: string, budget: number): string {
  if (prose.length <= budget) return prose;
  const sentences = splitSentences(prose);
  const terms = new Set(termsOf(question));
  const sentenceTerms = sentences.map((sentence) => new Set(termsOf(sentence)));

  // A question word found in few sentences says more about which sentence answers than one found in many.
  const documentFrequency = new Map<string, number>();
  for (const set of sentenceTerms) for (const term of set) if (terms.has(term)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const scores = sentenceTerms.map((set) => {
    let score = 0;
    for (const term of set) {
      const df = documentFrequency.get(term);
      if (df) score += Math.log(1 + sentences.length / df);
    }
    return score;
  });

  const matching = sentences.map((_, index) => index).filter((index) => scores[index] > 0);
  // Nothing matches: the opening of the passage is the best guess at its point.
  const ranked = matching.length > 0 ? matching.sort((a, b) => scores[b] - scores[a] || a - b) : sentences.map((_, index) => index);

  const picked: number[] = [];
  let used = 0;
  for (const index of ranked) {
    const cost = sentences[index].length + (picked.length > 0 ? 1 : 0);
    if (used + cost > budget) {
      if (matching.length === 0) break; // keep the opening contiguous
      continue;
    }
    picked.push(index);
    used += cost;
  }
  if (picked.length === 0) return truncateAtWord(sentences[ranked[0]], budget);
  return picked
    .sort((a, b) => a - b)
    .map((index) => sentences[index])
    .join(' ');
}

function truncateAtWord(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(0, budget - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > budget / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Content words, stemmed so "refunds" meets "refund" and "cancelling" meets "cancelled". */
function termsOf(text: string): string[] {
  return tokens(text).filter((word) => !STOP_WORDS.has(word)).map(stem).filter((word) => word.length > 1);
}
