/**
 * The workspace's passages as an inverted index in this process, so that a question is ranked here (BM25F,
 * ranking.ts) instead of by a Postgres query that ranked thousands of matched passages on every ask. Postgres
 * stays the only record: each question reads the workspace's passage revision with its own lexemes (one small
 * query), and an index behind that revision loads the items written since before it ranks; so a question asked
 * right after an import, on any replica, ranks what the import wrote.
 *
 * Every passage that holds a term of the question, and every passage of an article whose title holds one, is
 * scored exactly; the best passage of each item stands for it. Indexes are kept for the most recently asked
 * workspaces up to a bound on passages held; a dropped one is loaded again on its next question.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { bm25f } from './ranking';
import { TrigramIds, similarityOfShared, trigrams } from './trigram';
import { CHANGED_ITEMS_SQL, CHANGED_PASSAGES_SQL, PASSAGE_REVISION_SQL, QUESTION_PROBE_SQL } from './passage-index.queries';

/** A passage as ranking needs it. */
export interface IndexedPassage {
  id: string;
  item: IndexedItem;
  /** Its place in the index's per-slot arrays (and in posting lists). */
  slot: number;
  /** md5 of its text, as Postgres computes it (two items citing the same text give the same answer). */
  digest: string;
}

interface IndexedItem {
  id: string;
  /** Its place in the index's per-item arrays. */
  ordinal: number;
  passages: IndexedPassage[];
  /** Articles only: occurrences of each title lexeme, and the title's distinct trigrams (by their ids in the index). */
  titleCounts: Map<string, number> | null;
  titleTrigrams: Int32Array | null;
}

/** An item's best passage for a question, and how relevant it is (0..1, ranking.ts passageRelevance). */
export interface PassageHit {
  itemId: string;
  passage: IndexedPassage;
  relevance: number;
}

/** A lexeme's passages (by slot) and how often it occurs in each, in typed arrays that grow by half. */
class Postings {
  slots = new Int32Array(4);
  counts = new Uint16Array(4);
  length = 0;

  push(slot: number, count: number): void {
    if (this.length === this.slots.length) {
      const size = this.length + (this.length >> 1) + 4;
      this.slots = grown(this.slots, new Int32Array(size));
      this.counts = grown(this.counts, new Uint16Array(size));
    }
    this.slots[this.length] = slot;
    // A tsvector keeps at most 256 positions per lexeme.
    this.counts[this.length++] = Math.min(count, 0xffff);
  }

  /** Drops the slots marked in `gone`; whether any were. */
  drop(gone: Uint8Array): boolean {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const slot = this.slots[i]!;
      if (gone[slot]) continue;
      this.slots[kept] = slot;
      this.counts[kept++] = this.counts[i]!;
    }
    const dropped = kept < this.length;
    this.length = kept;
    return dropped;
  }
}

interface ItemRow {
  id: string;
  kind: string;
  title: string;
  titleLexemes: string[] | null;
  titleCounts: number[] | null;
}

interface PassageRow {
  id: string;
  itemId: string;
  digest: string;
  length: number;
  lexemes: string[];
  counts: number[];
}

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Places in per-place arrays, handed out and given back; `grow` is told each new capacity before it is used. */
class Places {
  private readonly free: number[] = [];
  private next = 0;
  private capacity = 0;

  constructor(
    private readonly grow: (capacity: number) => void,
    private readonly initial: number,
  ) {}

  take(): number {
    const free = this.free.pop();
    if (free !== undefined) return free;
    if (this.next >= this.capacity) this.grow((this.capacity = Math.max(this.initial, this.capacity * 2)));
    return this.next++;
  }

  give(place: number): void {
    this.free.push(place);
  }
}

/** One workspace's index at one revision. */
export class WorkspacePassages {
  revision = -1;
  private readonly items = new Map<string, IndexedItem>();
  private readonly postings = new Map<string, Postings>();
  /** Articles whose title holds a lexeme. */
  private readonly titles = new Map<string, Set<IndexedItem>>();
  private totalPassages = 0;
  private totalLength = 0;
  /** Passages by slot. */
  private readonly slots: Array<IndexedPassage | undefined> = [];
  private readonly slotPlaces = new Places((size) => {
    this.lengths = grown(this.lengths, new Int32Array(size));
    this.slotItem = grown(this.slotItem, new Int32Array(size));
    this.score = grown(this.score, new Float64Array(size));
    this.termTf = grown(this.termTf, new Float64Array(size));
    this.candidate = grown(this.candidate, new Uint32Array(size));
    this.holds = grown(this.holds, new Uint32Array(size));
  }, 1024);
  /** Per slot: the passage's length (distinct lexemes); while a question is ranked, its score so far, the question it was last a candidate of, the term it last held. */
  private lengths = new Int32Array(0);
  private score = new Float64Array(0);
  /** Per slot, while a term is ranked: its length-normalised occurrences in the passage. */
  private termTf = new Float64Array(0);
  private candidate = new Uint32Array(0);
  private holds = new Uint32Array(0);
  /** Per slot: its item's ordinal. */
  private slotItem = new Int32Array(0);
  /** Items by ordinal; per ordinal, while a question is ranked: its best passage's score and slot, and the question it was last seen in. */
  private readonly byOrdinal: Array<IndexedItem | undefined> = [];
  private readonly ordinalPlaces = new Places((size) => {
    this.itemBest = grown(this.itemBest, new Float64Array(size));
    this.itemBestSlot = grown(this.itemBestSlot, new Int32Array(size));
    this.itemSeen = grown(this.itemSeen, new Uint32Array(size));
  }, 256);
  private itemBest = new Float64Array(0);
  private itemBestSlot = new Int32Array(0);
  private itemSeen = new Uint32Array(0);
  /** Title trigrams by id; per id, the question it was last in. */
  private readonly trigramIds = new TrigramIds();
  private inQuestion = new Uint32Array(0);
  /** Stamps questions and terms, so the arrays above need no clearing between them. */
  private stamp = 0;

  get passageCount(): number {
    return this.totalPassages;
  }

  /** Replaces what the index holds of the items given (all of them read in one snapshot at `revision`). */
  apply(revision: number, itemRows: readonly ItemRow[], passageRows: readonly PassageRow[]): void {
    this.remove(itemRows.map((row) => row.id));
    const added = new Map<string, IndexedItem>();
    for (const row of itemRows) {
      const titleCounts = row.titleLexemes && row.titleCounts ? new Map(row.titleLexemes.map((lexeme, i) => [lexeme, Number(row.titleCounts![i])])) : null;
      const item: IndexedItem = { id: row.id, ordinal: this.ordinalPlaces.take(), passages: [], titleCounts, titleTrigrams: row.kind === 'article' ? this.titleTrigramIds(row.title) : null };
      this.byOrdinal[item.ordinal] = item;
      added.set(row.id, item);
      this.items.set(row.id, item);
      for (const lexeme of titleCounts?.keys() ?? []) {
        let holders = this.titles.get(lexeme);
        if (!holders) this.titles.set(lexeme, (holders = new Set()));
        holders.add(item);
      }
    }
    for (const row of passageRows) {
      const item = added.get(row.itemId);
      if (!item) continue;
      const passage: IndexedPassage = { id: row.id, item, slot: this.slotPlaces.take(), digest: row.digest };
      this.slots[passage.slot] = passage;
      this.lengths[passage.slot] = Number(row.length);
      this.slotItem[passage.slot] = item.ordinal;
      item.passages.push(passage);
      row.lexemes.forEach((lexeme, i) => {
        let list = this.postings.get(lexeme);
        if (!list) this.postings.set(lexeme, (list = new Postings()));
        list.push(passage.slot, Number(row.counts[i]));
      });
      this.totalPassages += 1;
      this.totalLength += Number(row.length);
    }
    this.revision = revision;
  }

  /**
   * The items with a passage that holds a term of the question or whose title does, each by its best passage,
   * most relevant first, at most `limit`. `lexemes`: the question's distinct lexemes. BM25F (ranking.ts), a term at
   * a time over its posting list and the passages of the articles whose title holds it.
   */
  rank(lexemes: readonly string[], question: string, limit: number): PassageHit[] {
    const total = { totalPassages: this.totalPassages, totalLength: this.totalLength };
    const averageLength = bm25f.averageLength(total, 1);
    const idfs = lexemes.map((lexeme) => bm25f.idf(this.postings.get(lexeme)?.length ?? 0, this.totalPassages));
    const candidates: number[] = [];
    if (this.stamp > 0xffff_0000) {
      // Stamps are about to overflow the arrays' 32 bits: start them again from clean arrays.
      for (const stamps of [this.candidate, this.holds, this.itemSeen, this.inQuestion]) stamps.fill(0);
      this.stamp = 0;
    }
    const question$ = ++this.stamp;
    const { score, candidate, holds, lengths, termTf } = this;
    lexemes.forEach((lexeme, t) => {
      const idf = idfs[t]!;
      const term$ = ++this.stamp;
      const titled = this.titles.get(lexeme);
      const list = this.postings.get(lexeme);
      for (let i = 0; list && i < list.length; i++) {
        const slot = list.slots[i]!;
        if (candidate[slot] !== question$) (candidate[slot] = question$), (score[slot] = 0), candidates.push(slot);
        holds[slot] = term$;
        const tf = list.counts[i]! / bm25f.lengthNorm(lengths[slot]!, averageLength);
        termTf[slot] = tf;
        score[slot] += bm25f.term(idf, tf, 0);
      }
      // Articles whose title holds the term: their passages score the title's occurrences with the text's (BM25F adds
      // them before saturating, so a passage that also holds the term has its text-only score replaced).
      for (const item of titled ?? []) {
        const titleTf = item.titleCounts!.get(lexeme)!;
        const titleOnly = bm25f.term(idf, 0, titleTf);
        for (const passage of item.passages) {
          const slot = passage.slot;
          if (holds[slot] === term$) {
            score[slot] += bm25f.term(idf, termTf[slot]!, titleTf) - bm25f.term(idf, termTf[slot]!, 0);
            continue;
          }
          if (candidate[slot] !== question$) (candidate[slot] = question$), (score[slot] = 0), candidates.push(slot);
          score[slot] += titleOnly;
        }
      }
    });
    // Each item by its best passage: the title's similarity is the item's, so the terms alone choose the passage.
    const { slotItem, itemBest, itemBestSlot, itemSeen } = this;
    const items: number[] = [];
    for (const slot of candidates) {
      const o = slotItem[slot]!;
      if (itemSeen[o] !== question$) {
        itemSeen[o] = question$;
        items.push(o);
      } else if (score[slot]! < itemBest[o]! || (score[slot] === itemBest[o] && this.slots[slot]!.id > this.slots[itemBestSlot[o]!]!.id)) continue;
      itemBest[o] = score[slot]!;
      itemBestSlot[o] = slot;
    }
    // The title's similarity adds at most bm25f.titleSimilarityWorth: an item whose terms score that much less than the
    // limit-th best terms' score cannot rank within the limit, and its similarity is not computed.
    const scores = Float64Array.from(items, (o) => itemBest[o]!).sort();
    const floor = scores.length > limit ? scores[scores.length - limit]! - bm25f.titleSimilarityWorth : -Infinity;
    const most = bm25f.mostFromTerms(idfs);
    const questionTrigrams = this.markQuestionTrigrams(question, question$);
    const hits: PassageHit[] = [];
    for (const o of items) {
      if (itemBest[o]! < floor) continue;
      const item = this.byOrdinal[o]!;
      hits.push({ itemId: item.id, passage: this.slots[itemBestSlot[o]!]!, relevance: bm25f.share(itemBest[o]!, most, this.titleSimilarity(item, questionTrigrams, question$)) });
    }
    return hits.sort((a, b) => b.relevance - a.relevance || (a.itemId < b.itemId ? -1 : 1)).slice(0, limit);
  }

  /** pg_trgm's similarity of the item's title to the question whose trigrams were marked with `question$` (0 for items without a title field). */
  private titleSimilarity(item: IndexedItem, questionTrigrams: number, question$: number): number {
    const title = item.titleTrigrams;
    if (!title) return 0;
    let shared = 0;
    for (let i = 0; i < title.length; i++) if (this.inQuestion[title[i]!] === question$) shared++;
    return similarityOfShared(shared, title.length, questionTrigrams);
  }

  /** Marks the question's trigrams that some title holds; returns how many distinct trigrams the question has. */
  private markQuestionTrigrams(question: string, question$: number): number {
    const grams = trigrams(question);
    for (const gram of grams) {
      const id = this.trigramIds.find(gram);
      if (id !== undefined) this.inQuestion[id] = question$;
    }
    return grams.size;
  }

  /** A title's distinct trigrams as ids, new ones given the next id. */
  private titleTrigramIds(title: string): Int32Array {
    const ids = Int32Array.from(trigrams(title), (gram) => this.trigramIds.add(gram));
    if (this.trigramIds.size > this.inQuestion.length) this.inQuestion = grown(this.inQuestion, new Uint32Array(Math.max(1024, this.trigramIds.size * 2)));
    return ids;
  }

  /** Takes the items' passages out: every posting list is rewritten once (a catch-up is rare; a question is not). */
  private remove(itemIds: readonly string[]): void {
    const gone = new Uint8Array(this.slots.length);
    const freed: number[] = [];
    for (const id of itemIds) {
      const item = this.items.get(id);
      if (!item) continue;
      this.items.delete(id);
      this.byOrdinal[item.ordinal] = undefined;
      this.ordinalPlaces.give(item.ordinal);
      for (const lexeme of item.titleCounts?.keys() ?? []) {
        const holders = this.titles.get(lexeme);
        holders?.delete(item);
        if (holders?.size === 0) this.titles.delete(lexeme);
      }
      for (const passage of item.passages) {
        gone[passage.slot] = 1;
        freed.push(passage.slot);
        this.totalPassages -= 1;
        this.totalLength -= this.lengths[passage.slot]!;
      }
    }
    if (freed.length === 0) return;
    for (const [lexeme, list] of this.postings) if (list.drop(gone) && list.length === 0) this.postings.delete(lexeme);
    for (const slot of freed) (this.slots[slot] = undefined), this.slotPlaces.give(slot);
  }
}

export interface PassageIndexBounds {
  /** Most passages held by all workspaces' indexes together. */
  maxPassages: number;
}

const DEFAULT_PASSAGE_INDEX_BOUNDS: Readonly<PassageIndexBounds> = Object.freeze({ maxPassages: 500_000 });

/** A question's lexemes, and the index it is ranked against, current as of when it was asked. */
export interface ProbedQuestion {
  lexemes: string[];
  index: WorkspacePassages;
  /** The locales the workspace has published knowledge in, most items first (read in the same query). */
  locales: string[];
}

export class PassageIndexes {
  /** In least- to most-recently-used order (a Map keeps insertion order; a use re-inserts). */
  private readonly indexes = new Map<string, WorkspacePassages>();
  /** Loads in flight, one per workspace: questions asked meanwhile wait for it. */
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly bounds: PassageIndexBounds = DEFAULT_PASSAGE_INDEX_BOUNDS,
  ) {}

  /** The question's lexemes, and the workspace's index caught up to the revision read with them. */
  async probe(workspaceId: string, question: string): Promise<ProbedQuestion> {
    const [row] = (await this.db.query(QUESTION_PROBE_SQL, [workspaceId, question])) as Array<{ lexemes: string[]; revision: string; locales: string[] }>;
    const revision = Number(row!.revision);
    let index = this.indexes.get(workspaceId);
    while (!index || index.revision < revision) {
      await this.catchUp(workspaceId, index);
      index = this.indexes.get(workspaceId);
    }
    this.indexes.delete(workspaceId);
    this.indexes.set(workspaceId, index);
    return { lexemes: row!.lexemes, index, locales: row!.locales };
  }

  private catchUp(workspaceId: string, index: WorkspacePassages | undefined): Promise<void> {
    let running = this.loading.get(workspaceId);
    if (!running) {
      running = this.load(workspaceId, index ?? new WorkspacePassages()).finally(() => this.loading.delete(workspaceId));
      this.loading.set(workspaceId, running);
    }
    return running;
  }

  /** Reads what changed since the index's revision, in one snapshot, and applies it. */
  private async load(workspaceId: string, index: WorkspacePassages): Promise<void> {
    const since = index.revision;
    const read = await this.db.transaction('REPEATABLE READ', async (tx: EntityManager) => {
      const [row] = (await tx.query(PASSAGE_REVISION_SQL, [workspaceId])) as Array<{ revision: string }>;
      const items = (await tx.query(CHANGED_ITEMS_SQL, [workspaceId, since])) as ItemRow[];
      const passages = (await tx.query(CHANGED_PASSAGES_SQL, [workspaceId, since])) as PassageRow[];
      return { revision: Number(row!.revision), items, passages };
    });
    index.apply(read.revision, read.items, read.passages);
    this.indexes.delete(workspaceId);
    this.indexes.set(workspaceId, index);
    this.evictBeyondBounds(workspaceId);
  }

  /** Drops the least recently asked workspaces' indexes while all hold more than the bound (never `keep`'s). */
  private evictBeyondBounds(keep: string): void {
    let held = 0;
    for (const index of this.indexes.values()) held += index.passageCount;
    for (const [workspaceId, index] of this.indexes) {
      if (held <= this.bounds.maxPassages) break;
      if (workspaceId === keep) continue;
      this.indexes.delete(workspaceId);
      held -= index.passageCount;
    }
  }
}
