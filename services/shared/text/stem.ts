/**
 * The one stemmer: Porter2 (the Snowball English stemmer) from `wink-porter2-stemmer`, so that "refunds" meets
 * "refund", "cancelling" meets "cancelled" and "charge" meets "charging". Stems are keys for matching, never shown.
 */
import porter2 from 'wink-porter2-stemmer';

export function stem(word: string): string {
  return porter2(word);
}
