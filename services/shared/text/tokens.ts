/**
 * The one tokeniser: a text's lower-cased words, runs of letters and digits. Apostrophes are removed first, so
 * "don't" is one word ("dont") rather than "don" and "t".
 */

export interface TokenOptions {
  /** Keep €, $ and £ as word characters ("$100", "€"): the intent model learns which currency a question is about. */
  currency?: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const WORD_OR_CURRENCY = /[\p{L}\p{N}€$£]+/gu;

export function tokens(text: string, options: TokenOptions = {}): string[] {
  return text.toLowerCase().replace(/['’]/g, '').match(options.currency ? WORD_OR_CURRENCY : WORD) ?? [];
}
