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
import { CorpusTerms, passageRelevance } from './ranking';
import { trigramSimilarity, trigrams } from './trigram';
import { CHANGED_ITEMS_SQL, CHANGED_PASSAGES_SQL, PASSAGE_REVISION_SQL, QUESTION_PROBE_SQL } from './passage-index.queries';

/** A passage as ranking needs it. */
export interface IndexedPassage {
  id: string;
  itemId: string;
  /** md5 of its text, as Postgres computes it (two items citing the same text give the same answer). */
  digest: string;
  /** Distinct lexemes. */
  length: number;
  lexemes: readonly string[];
}

interface IndexedItem {
  id: string;
  passages: IndexedPassage[];
  /** Articles only: occurrences of each title lexeme, and the title's trigrams. */
  titleCounts: Map<string, number> | null;
  titleTrigrams: Set<string> | null;
}

/** An item's best passage for a question, and how relevant it is (0..1, ranking.ts passageRelevance). */
export interface PassageHit {
  itemId: string;
  passage: IndexedPassage;
  relevance: number;
}

interface Postings {
  passages: IndexedPassage[];
  counts: number[];
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

/** One workspace's index at one revision. */
export class WorkspacePassages {
  revision = -1;
  private readonly items = new Map<string, IndexedItem>();
  private readonly postings = new Map<string, Postings>();
  /** Articles whose title holds a lexeme. */
  private readonly titles = new Map<string, Set<IndexedItem>>();
  private totalPassages = 0;
  private totalLength = 0;

  get passageCount(): number {
    return this.totalPassages;
  }

  /** Replaces what the index holds of the items given (all of them read in one snapshot at `revision`). */
  apply(revision: number, itemRows: readonly ItemRow[], passageRows: readonly PassageRow[]): void {
    this.remove(itemRows.map((row) => row.id));
    const added = new Map<string, IndexedItem>();
    for (const row of itemRows) {
      const titleCounts = row.titleLexemes && row.titleCounts ? new Map(row.titleLexemes.map((lexeme, i) => [lexeme, Number(row.titleCounts![i])])) : null;
      const item: IndexedItem = { id: row.id, passages: [], titleCounts, titleTrigrams: row.kind === 'article' ? trigrams(row.title) : null };
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
      const passage: IndexedPassage = { id: row.id, itemId: row.itemId, digest: row.digest, length: Number(row.length), lexemes: row.lexemes };
      item.passages.push(passage);
      row.lexemes.forEach((lexeme, i) => {
        let list = this.postings.get(lexeme);
        if (!list) this.postings.set(lexeme, (list = { passages: [], counts: [] }));
        list.passages.push(passage);
        list.counts.push(Number(row.counts[i]));
      });
      this.totalPassages += 1;
      this.totalLength += passage.length;
    }
    this.revision = revision;
  }

  /**
   * The items with a passage that holds a term of the question or whose title does, each by its best passage,
   * most relevant first, at most `limit`. `lexemes`: the question's distinct lexemes.
   */
  rank(lexemes: readonly string[], question: string, limit: number): PassageHit[] {
    const corpus: CorpusTerms = {
      termPassages: lexemes.map((lexeme) => this.postings.get(lexeme)?.passages.length ?? 0),
      totalPassages: this.totalPassages,
      totalLength: this.totalLength,
    };
    const counts = new Map<IndexedPassage, number[]>();
    const countsOf = (passage: IndexedPassage) => {
      let found = counts.get(passage);
      if (!found) counts.set(passage, (found = new Array<number>(lexemes.length).fill(0)));
      return found;
    };
    lexemes.forEach((lexeme, t) => {
      const list = this.postings.get(lexeme);
      if (list) for (let i = 0; i < list.passages.length; i++) countsOf(list.passages[i]!)[t] = list.counts[i]!;
      for (const item of this.titles.get(lexeme) ?? []) for (const passage of item.passages) countsOf(passage);
    });
    const questionTrigrams = trigrams(question);
    const similarity = new Map<IndexedItem, number>();
    const best = new Map<string, PassageHit>();
    for (const [passage, passageTf] of counts) {
      const item = this.items.get(passage.itemId)!;
      let titleSimilarity = similarity.get(item);
      if (titleSimilarity === undefined) similarity.set(item, (titleSimilarity = item.titleTrigrams ? trigramSimilarity(item.titleTrigrams, questionTrigrams) : 0));
      const titleTf = lexemes.map((lexeme) => item.titleCounts?.get(lexeme) ?? 0);
      const relevance = passageRelevance({ passageTf, titleTf, passageLength: passage.length, titleSimilarity }, corpus);
      const current = best.get(item.id);
      if (!current || relevance > current.relevance || (relevance === current.relevance && passage.id < current.passage.id)) best.set(item.id, { itemId: item.id, passage, relevance });
    }
    return [...best.values()].sort((a, b) => b.relevance - a.relevance || (a.itemId < b.itemId ? -1 : 1)).slice(0, limit);
  }

  private remove(itemIds: readonly string[]): void {
    const gone = new Set<IndexedPassage>();
    const touched = new Set<string>();
    for (const id of itemIds) {
      const item = this.items.get(id);
      if (!item) continue;
      this.items.delete(id);
      for (const lexeme of item.titleCounts?.keys() ?? []) {
        const holders = this.titles.get(lexeme);
        holders?.delete(item);
        if (holders?.size === 0) this.titles.delete(lexeme);
      }
      for (const passage of item.passages) {
        gone.add(passage);
        for (const lexeme of passage.lexemes) touched.add(lexeme);
        this.totalPassages -= 1;
        this.totalLength -= passage.length;
      }
    }
    // Each posting list the removed passages were in is rewritten once, however many of them it held.
    for (const lexeme of touched) {
      const list = this.postings.get(lexeme)!;
      const kept: Postings = { passages: [], counts: [] };
      list.passages.forEach((passage, i) => {
        if (gone.has(passage)) return;
        kept.passages.push(passage);
        kept.counts.push(list.counts[i]!);
      });
      if (kept.passages.length === 0) this.postings.delete(lexeme);
      else this.postings.set(lexeme, kept);
    }
  }
}

export interface PassageIndexBounds {
  /** Most passages held by all workspaces' indexes together. */
  maxPassages: number;
}

export const DEFAULT_PASSAGE_INDEX_BOUNDS: Readonly<PassageIndexBounds> = Object.freeze({ maxPassages: 500_000 });

/** A question's lexemes, and the index it is ranked against, current as of when it was asked. */
export interface ProbedQuestion {
  lexemes: string[];
  index: WorkspacePassages;
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
    const [row] = (await this.db.query(QUESTION_PROBE_SQL, [workspaceId, question])) as Array<{ lexemes: string[]; revision: string }>;
    const revision = Number(row!.revision);
    let index = this.indexes.get(workspaceId);
    while (!index || index.revision < revision) {
      await this.catchUp(workspaceId, index);
      index = this.indexes.get(workspaceId);
    }
    this.indexes.delete(workspaceId);
    this.indexes.set(workspaceId, index);
    return { lexemes: row!.lexemes, index };
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
