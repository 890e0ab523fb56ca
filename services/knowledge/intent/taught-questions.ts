/**
 * The questions a workspace was taught, held for trigram search in this process: which of them come at least a
 * given similarity near a question, by pg_trgm's measure (retrieval/trigram.ts), nearest first. Retrieval's
 * taught-question lookup asks this first and has Postgres check only what it finds (its item's status and scope,
 * and the similarity again, exactly), instead of Postgres searching every taught question of the workspace.
 *
 * A superset of what Postgres would find is all it must be: a question held here whose row has gone (a revert
 * deleted it) or whose item no longer answers is dropped by that check. So questions are only ever added; the
 * intent model that holds this is rebuilt from Postgres when it forgets (a revert), which starts it afresh.
 */
import { trigrams } from '../retrieval/trigram';

/** How far below the floor a question still counts here: Postgres computes the similarity in single precision. */
const ROUNDING = 1e-6;
/** Rough bytes per held question beyond its trigrams: its id (a uuid string), map entries, slot arrays. */
const BYTES_PER_QUESTION = 160;

export interface NearQuestion {
  variantId: string;
  similarity: number;
}

export class TaughtQuestions {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  /** Distinct trigrams of each question, by slot. */
  private sizes: Int32Array<ArrayBuffer> = new Int32Array(64);
  private readonly trigramIds = new Map<string, number>();
  /** Per trigram id, the slots of the questions holding it. */
  private readonly postings: number[][] = [];
  /** Shared trigrams per slot while a search runs; reset through `touched` after each. */
  private shared = new Int32Array(64);
  private postingEntries = 0;

  get size(): number {
    return this.ids.length;
  }

  get bytes(): number {
    return this.ids.length * BYTES_PER_QUESTION + this.postingEntries * 8 + this.trigramIds.size * 64;
  }

  /** Holds a taught question (again: a no-op). */
  add(variantId: string, text: string): void {
    if (this.slotOf.has(variantId)) return;
    const slot = this.ids.length;
    this.slotOf.set(variantId, slot);
    this.ids.push(variantId);
    if (slot >= this.sizes.length) {
      this.sizes = grown(this.sizes);
      this.shared = new Int32Array(this.sizes.length);
    }
    const held = trigrams(text);
    this.sizes[slot] = held.size;
    for (const trigram of held) {
      let id = this.trigramIds.get(trigram);
      if (id === undefined) {
        id = this.trigramIds.size;
        this.trigramIds.set(trigram, id);
        this.postings.push([]);
      }
      this.postings[id]!.push(slot);
      this.postingEntries++;
    }
  }

  /** Questions at least `floor` near `question` (pg_trgm similarity), nearest first, at most `limit`. */
  near(question: string, floor: number, limit: number): NearQuestion[] {
    const asked = trigrams(question);
    if (asked.size === 0 || this.ids.length === 0) return [];
    const touched: number[] = [];
    for (const trigram of asked) {
      const id = this.trigramIds.get(trigram);
      if (id === undefined) continue;
      for (const slot of this.postings[id]!) if (this.shared[slot]++ === 0) touched.push(slot);
    }
    const found: NearQuestion[] = [];
    for (const slot of touched) {
      const shared = this.shared[slot]!;
      this.shared[slot] = 0;
      const similarity = shared / (asked.size + this.sizes[slot]! - shared);
      if (similarity >= floor - ROUNDING) found.push({ variantId: this.ids[slot]!, similarity });
    }
    found.sort((a, b) => b.similarity - a.similarity || (a.variantId < b.variantId ? -1 : 1));
    return found.slice(0, limit);
  }
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
