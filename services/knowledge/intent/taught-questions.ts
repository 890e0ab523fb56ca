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
import { TrigramIds, similarityOfShared, trigrams } from '../retrieval/trigram';

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
  private readonly sizes: number[] = [];
  private readonly trigramIds = new TrigramIds();
  /** Per trigram id, the slots of the questions holding it. */
  private readonly postings: number[][] = [];
  /** Shared trigrams per slot while a search runs; reset through the slots it touched after each. */
  private shared = new Int32Array(0);
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
    const held = trigrams(text);
    this.sizes.push(held.size);
    for (const trigram of held) {
      const id = this.trigramIds.add(trigram);
      (this.postings[id] ??= []).push(slot);
      this.postingEntries++;
    }
  }

  /** Questions at least `floor` near `question` (pg_trgm similarity), nearest first, at most `limit`. */
  near(question: string, floor: number, limit: number): NearQuestion[] {
    const asked = trigrams(question);
    if (asked.size === 0 || this.ids.length === 0) return [];
    if (this.shared.length < this.ids.length) this.shared = new Int32Array(this.ids.length * 2);
    const touched: number[] = [];
    for (const trigram of asked) {
      const id = this.trigramIds.find(trigram);
      if (id === undefined) continue;
      for (const slot of this.postings[id]!) if (this.shared[slot]++ === 0) touched.push(slot);
    }
    const found: NearQuestion[] = [];
    for (const slot of touched) {
      const similarity = similarityOfShared(this.shared[slot]!, asked.size, this.sizes[slot]!);
      this.shared[slot] = 0;
      if (similarity >= floor - ROUNDING) found.push({ variantId: this.ids[slot]!, similarity });
    }
    found.sort((a, b) => b.similarity - a.similarity || (a.variantId < b.variantId ? -1 : 1));
    return found.slice(0, limit);
  }
}
