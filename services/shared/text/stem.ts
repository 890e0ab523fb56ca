/**
 * The one stemmer: Porter2 (the Snowball English stemmer) from `wink-porter2-stemmer`, so that "refunds" meets
 * "refund", "cancelling" meets "cancelled" and "charge" meets "charging". Stems are keys for matching, never shown.
 */
import porter2 from 'wink-porter2-stemmer';
import { boundedMemo } from '../memo';

/**
 * Remembered per word (at most 50,000): retrieval, the intent model, the answerer and gap clustering stem the same
 * few thousand words again and again, and clustering 2,000 questions stemmed each word twice.
 */
export const stem = boundedMemo((word: string) => porter2(word), 50_000);
