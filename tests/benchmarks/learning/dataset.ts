/**
 * A data-set folder in the shared layout (../shared/datasets/README.md): train.csv and test.csv (`text,label`,
 * RFC 4180 quoting) and kb.jsonl (one starting article per label). Any folder in that layout works.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readKbJsonl } from '../../../services/knowledge/import/knowledge-folder';
import type { ArticleFields } from '../../../services/knowledge/knowledge-item/knowledge-item.service';
import { prng } from '../bench-support';

export interface LabelledQuestion {
  text: string;
  label: string;
}

export interface Dataset {
  name: string;
  train: LabelledQuestion[];
  test: LabelledQuestion[];
  /** One article per label; its externalKey is the label (what the harness grounds answers in), its topic empty. */
  articles: ArticleFields[];
}

export function loadDataset(folder: string): Dataset {
  for (const file of ['train.csv', 'test.csv', 'kb.jsonl']) {
    if (!existsSync(path.join(folder, file))) throw new Error(`${folder} has no ${file} (see ../shared/datasets/README.md for the layout)`);
  }
  return {
    name: path.basename(path.resolve(folder)),
    train: readLabelledCsv(path.join(folder, 'train.csv')),
    test: readLabelledCsv(path.join(folder, 'test.csv')),
    // kb.jsonl's reader files each article under its label as topic; no deployment knows its questions' labels, so
    // the benchmark imports articles without a topic (one workspace-wide threshold, as a help centre without
    // categories has).
    articles: readKbJsonl(path.join(folder, 'kb.jsonl')).map((article) => ({ ...article, topic: '' })),
  };
}

/** `text,label` rows; the text may be quoted (with "" for a quote) and hold commas or newlines. */
export function readLabelledCsv(file: string): LabelledQuestion[] {
  const rows: string[][] = parse(readFileSync(file, 'utf8'), { relax_column_count: true, skip_empty_lines: true });
  const [header, ...body] = rows;
  const textAt = header?.indexOf('text') ?? -1;
  const labelAt = header?.indexOf('label') ?? -1;
  if (textAt < 0 || labelAt < 0) throw new Error(`${file} needs a header with text and label columns`);
  return body.filter((row) => row.length > Math.max(textAt, labelAt) && row[textAt]!.trim() !== '').map((row) => ({ text: row[textAt]!.trim(), label: row[labelAt]!.trim() }));
}

/** Fisher–Yates with the seeded generator: the same seed gives the same stream. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count(n)` questions of each label of n, chosen with the seed; the rest keep their order. */
export function takePerLabel(questions: readonly LabelledQuestion[], count: (n: number) => number, seed: number): { taken: LabelledQuestion[]; rest: LabelledQuestion[] } {
  const sizes = new Map<string, number>();
  for (const q of questions) sizes.set(q.label, (sizes.get(q.label) ?? 0) + 1);
  const takenOf = new Map<string, number>();
  const taken = new Set<number>();
  for (const i of shuffled(questions.map((_, index) => index), seed)) {
    const label = questions[i]!.label;
    const n = takenOf.get(label) ?? 0;
    if (n >= count(sizes.get(label)!)) continue;
    takenOf.set(label, n + 1);
    taken.add(i);
  }
  return { taken: questions.filter((_, i) => taken.has(i)), rest: questions.filter((_, i) => !taken.has(i)) };
}

/** The first `shots` questions of each label, in stream order. */
export function takeShots(stream: readonly LabelledQuestion[], shots: number): LabelledQuestion[] {
  const seen = new Map<string, number>();
  return stream.filter((q) => {
    const n = seen.get(q.label) ?? 0;
    seen.set(q.label, n + 1);
    return n < shots;
  });
}

/** Keeps only questions and articles of the given labels (small samples for tests). */
export function restrictToLabels(dataset: Dataset, labels: readonly string[]): Dataset {
  const keep = new Set(labels);
  return {
    ...dataset,
    train: dataset.train.filter((q) => keep.has(q.label)),
    test: dataset.test.filter((q) => keep.has(q.label)),
    articles: dataset.articles.filter((a) => keep.has(a.externalKey ?? '')),
  };
}
