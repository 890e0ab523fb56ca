/**
 * Retrieval's text ranking without a database, for offline benchmarks that weigh how retrieval and the intent
 * model choose together: the articles split into passages as the import splits them, each scored with the same
 * BM25F function (ranking.ts) over the shared tokeniser's stemmed words, minus stop words (Postgres's `english`
 * configuration stems and drops stop words likewise, with its own lists), and the title's trigram similarity as
 * pg_trgm computes it. An item's relevance is its best passage's; confidence is retrieval's own, from the lead.
 * It leaves out what only the live system has (outcome evidence, the GIN prefilter of common terms), so its
 * figures approximate retrieval's; `bench:day-one` measures the real one.
 */
import { STOP_WORDS, stem, tokens } from '../../../services/shared/text';
import { splitIntoPassages } from '../../../services/knowledge/knowledge-item/passage-splitter';
import { confidenceOf, passageRelevance } from '../../../services/knowledge/retrieval/ranking';
import { trigramSimilarity, trigrams } from '../../../services/knowledge/retrieval/trigram';

interface IndexedPassage {
  itemId: string;
  counts: Map<string, number>;
  titleCounts: Map<string, number>;
  titleGrams: Set<string>;
}

export interface RetrievalChoice {
  /** Items by relevance, best first (only those matching at least one term or with a similar title). */
  ranked: Array<{ itemId: string; score: number }>;
  confidence: number;
}

const lexemes = (text: string) => tokens(text).filter((w) => !STOP_WORDS.has(w)).map(stem);

function counted(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

export class OfflineRetrieval {
  private readonly passages: IndexedPassage[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private totalLength = 0;

  constructor(articles: ReadonlyArray<{ itemId: string; title: string; body: string }>) {
    for (const article of articles) {
      const titleCounts = counted(lexemes(article.title));
      const titleGrams = trigrams(article.title);
      for (const text of splitIntoPassages(article.title, article.body)) {
        const counts = counted(lexemes(text));
        this.passages.push({ itemId: article.itemId, counts, titleCounts, titleGrams });
        this.totalLength += counts.size;
        for (const term of counts.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
  }

  rank(question: string): RetrievalChoice {
    const terms = [...new Set(lexemes(question))];
    const corpus = { termPassages: terms.map((t) => this.documentFrequency.get(t) ?? 0), totalPassages: this.passages.length, totalLength: this.totalLength };
    const grams = trigrams(question);
    const best = new Map<string, number>();
    for (const passage of this.passages) {
      const passageTf = terms.map((t) => passage.counts.get(t) ?? 0);
      const titleTf = terms.map((t) => passage.titleCounts.get(t) ?? 0);
      if (!passageTf.some((n) => n > 0) && !titleTf.some((n) => n > 0)) continue;
      const score = passageRelevance({ passageTf, titleTf, passageLength: passage.counts.size, titleSimilarity: trigramSimilarity(grams, passage.titleGrams) }, corpus);
      if (score > (best.get(passage.itemId) ?? 0)) best.set(passage.itemId, score);
    }
    const ranked = [...best].map(([itemId, score]) => ({ itemId, score })).sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
    return { ranked, confidence: ranked[0] ? confidenceOf(ranked[0].score, ranked[1]?.score ?? 0) : 0 };
  }
}
