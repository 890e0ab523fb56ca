/**
 * The answer without a model: the best passage, stated plainly and cited. A long passage is cut down to the
 * sentences that share the most words with the question, kept in their original order; the steps of a list go
 * together, with the sentence that leads into them, when they fit: a procedure cut to the steps that happen to
 * share the question's words drops the one that does the thing. Deterministic.
 */
import { Answerer, AnswerInput, AnswerPassage, FallbackReason, WrittenAnswer, assertHasPassages } from './answerer';
import { STOP_WORDS, sentences as splitSentences, stem, tokens } from '../../shared/text';
import { ProseBlock, markdownToProseBlocks } from './plain-text';

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
  const chosen = input.passages.map((passage) => ({ passage, blocks: blocksOf(passage) })).find((candidate) => candidate.blocks.length > 0) ?? {
    passage: input.passages[0],
    blocks: [],
  };
  const text = chosen.blocks.length > 0 ? extractRelevant(chosen.blocks, input.question, EXTRACT_BUDGET) : input.passages[0].title.trim();
  return { text, citedPassageIds: [chosen.passage.passageId], writer: 'extractive', fallbackReason };
}

function blocksOf(passage: AnswerPassage): ProseBlock[] {
  return markdownToProseBlocks(passage.text);
}

/**
 * The prose's sentences, each with its group: a sentence is a group of its own, except that the items of one list
 * are one group, with the sentence before them when it leads into them (ends with a colon).
 */
function groupedSentences(blocks: readonly ProseBlock[]): { sentences: string[]; groups: number[] } {
  const sentences: string[] = [];
  const groups: number[] = [];
  let group = 0;
  blocks.forEach((block, index) => {
    const opensList = block.listItem && !blocks[index - 1]?.listItem;
    if (opensList) {
      group += 1;
      if (sentences.length > 0 && /:$/.test(sentences.at(-1)!)) groups[groups.length - 1] = group;
    }
    for (const sentence of splitSentences(block.text)) {
      if (!block.listItem) group += 1;
      sentences.push(sentence);
      groups.push(group);
    }
  });
  return { sentences, groups };
}

/**
 * The whole prose when it fits; otherwise the best-matching sentences within the budget, in original order. A
 * sentence of a list brings the rest of its list (and its lead-in) when the whole fits, and comes alone otherwise.
 */
function extractRelevant(blocks: readonly ProseBlock[], question: string, budget: number): string {
  const prose = blocks.map((block) => block.text).join(' ');
  if (prose.length <= budget) return prose;
  const { sentences, groups } = groupedSentences(blocks);
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

  const groupMembers = new Map<number, number[]>();
  groups.forEach((group, index) => groupMembers.set(group, [...(groupMembers.get(group) ?? []), index]));
  const picked = new Set<number>();
  let used = 0;
  const costOf = (indexes: readonly number[]) => indexes.reduce((sum, index) => sum + sentences[index].length + 1, 0) - (picked.size === 0 ? 1 : 0);
  for (const index of ranked) {
    if (picked.has(index)) continue;
    const members = groupMembers.get(groups[index]!)!.filter((member) => !picked.has(member));
    // The whole group when it fits; the sentence alone otherwise.
    for (const take of members.length > 1 ? [members, [index]] : [[index]]) {
      const cost = costOf(take);
      if (used + cost > budget) continue;
      for (const member of take) picked.add(member);
      used += cost;
      break;
    }
    if (!picked.has(index) && matching.length === 0) break; // keep the opening contiguous
  }
  if (picked.size === 0) return truncateAtWord(sentences[ranked[0]], budget);
  return [...picked]
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
