/**
 * The one sentence splitter, ICU's sentence boundaries through `Intl.Segmenter`: a break follows ., ! or ? (and any
 * closing quote or bracket) before a space and a capital, and every line break. Decimals and versions ("2.5"),
 * and an abbreviation before a lower-case word ("a.m. tomorrow"), stay whole. Markdown must be turned into prose
 * first where it matters (plain-text.ts): a heading without a full stop runs into the next line's sentence only
 * when no line break separates them.
 */

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

export interface SentenceOptions {
  /** Return the segments untrimmed, empty ones included, so that joining them gives back the text exactly. */
  exact?: boolean;
}

export function sentences(text: string, options: SentenceOptions = {}): string[] {
  const segments = Array.from(SEGMENTER.segment(text), (part) => part.segment);
  return options.exact ? segments : segments.map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0);
}
