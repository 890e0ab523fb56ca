/**
 * An intent model with its examples: each new example is one online update plus REPLAY updates of earlier
 * examples drawn at random (experience replay, which gives a single online pass the accuracy of several passes
 * without ever pausing to refit). Kept apart from Postgres so the offline benchmark runs exactly this.
 */
import { IntentModel, IntentPrediction } from './intent-model';
import type { SparseVector } from './question-features';

/** Earlier examples revisited per new one. */
export const REPLAY = 5;
/** Sentences shorter than this say too little to learn from. */
const MIN_SENTENCE = 12;

interface Example {
  x: SparseVector;
  itemId: string;
}

export class ReplayingModel {
  private readonly examples: Example[] = [];

  constructor(
    private readonly random: () => number,
    private readonly model = new IntentModel(),
  ) {}

  get size(): number {
    return this.examples.length;
  }

  rank(x: SparseVector): IntentPrediction[] {
    return this.model.rank(x);
  }

  /** Learns one example; `replay` false for article text, which seeds the model without revisiting. */
  learn(x: SparseVector, itemId: string, replay = true): void {
    this.model.learn(x, itemId);
    if (replay) {
      for (let r = 0; r < REPLAY && this.examples.length > 0; r++) {
        const earlier = this.examples[Math.floor(this.random() * this.examples.length)]!;
        this.model.learn(earlier.x, earlier.itemId);
      }
    }
    this.examples.push({ x, itemId });
  }

  /** Every example of `itemId` becomes an example of `successorId` and is taught to it; `itemId` is forgotten. */
  relabel(itemId: string, successorId: string): void {
    this.model.forget(itemId);
    for (const example of this.examples) {
      if (example.itemId !== itemId) continue;
      example.itemId = successorId;
      this.model.learn(example.x, successorId);
    }
  }
}

/** An article body's sentences worth learning from. */
export function articleSentences(body: string): string[] {
  return body
    .split(/(?<=[.?!])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length >= MIN_SENTENCE);
}
