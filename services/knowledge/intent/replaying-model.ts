/**
 * An intent model with a memory of its examples: each new example is one online update plus REPLAY updates of
 * earlier examples drawn at random (experience replay, which gives a single online pass the accuracy of several
 * passes without ever pausing to refit). The memory is a reservoir sample of at most `memory` examples, kept as
 * text (a question costs tens of bytes as text, hundreds as a feature vector), so its size is bounded whatever
 * a workspace has taught. Kept apart from Postgres so the offline benchmark runs exactly this.
 *
 * Every question and article sentence also brings its meaning, the mean of its words' pretrained vectors
 * (word-vectors.ts), to the model's meaning vote; `vectors: null` leaves the vote out.
 */
import { sentences } from '../../shared/text';
import { IntentModel, IntentModelOptions, IntentPrediction } from './intent-model';
import { FEATURE_DEFAULTS, FeatureOptions, questionFeatures } from './question-features';
import { AskedIn, EVERYWHERE, ItemScope, isEverywhere, mayRival, servedIn } from './item-scope';
import { WordVectors, wordVectors } from './word-vectors';

/** Earlier examples revisited per new one. */
export const REPLAY = 5;
/** Examples kept for replay; chosen on the banking77 dev split (README). */
export const REPLAY_MEMORY = 4_096;
/** Whether article text takes linear updates: see README (*The answering loop*) for the dev-split comparison. */
export const ARTICLE_UPDATES = false;
/** Sentences shorter than this say too little to learn from. */
const MIN_SENTENCE = 12;

export interface ReplayingModelOptions extends IntentModelOptions {
  replay: number;
  memory: number;
  features: FeatureOptions;
  /** Article text takes a linear update too (true), or only joins the item's sums (false). */
  articleUpdates: boolean;
  /** The word vectors behind the meaning vote (default: the shipped ones); null: no meaning vote. */
  vectors: WordVectors | null;
}

interface Example {
  text: string;
  itemId: string;
  /** Where it was asked, when known (a corrected question): its update's rivals are what was served there. */
  asked?: AskedIn;
}

export class ReplayingModel {
  private readonly examples: Example[] = [];
  private readonly model: IntentModel;
  private readonly replay: number;
  private readonly memory: number;
  private readonly features: FeatureOptions;
  private readonly articleUpdates: boolean;
  private readonly vectors: WordVectors | null;
  /** Examples offered to the reservoir so far. */
  private seen = 0;
  /** Characters of the remembered examples' text. */
  private characters = 0;
  /** Questions taught per item (article text not counted): the items the model has evidence for. */
  private readonly questions = new Map<string, number>();
  /** Items served only in a context (scoped learned answers); the rest are served everywhere. */
  private readonly scopes = new Map<string, ItemScope>();

  constructor(
    private readonly random: () => number,
    options: Partial<ReplayingModelOptions> = {},
  ) {
    this.model = new IntentModel(options);
    this.replay = options.replay ?? REPLAY;
    this.memory = options.memory ?? REPLAY_MEMORY;
    this.features = options.features ?? FEATURE_DEFAULTS;
    this.articleUpdates = options.articleUpdates ?? ARTICLE_UPDATES;
    this.vectors = options.vectors === undefined ? wordVectors() : options.vectors;
  }

  /** Examples taught, including those no longer in the replay memory. */
  get size(): number {
    return this.model.examples;
  }

  /** The weights and sums plus the replay memory's text (two bytes a character), in bytes. */
  get bytes(): number {
    return this.model.bytes + this.characters * 2;
  }

  /** The weights and sums alone: they grow only when a new item needs a column past the matrices' capacity. */
  get matrixBytes(): number {
    return this.model.bytes;
  }

  get classes(): number {
    return this.model.classes;
  }

  rank(text: string): IntentPrediction[] {
    return this.model.rank(questionFeatures(text, this.features), undefined, this.vectors?.embed(text));
  }

  /** Makes room for `items` items in all at once (see IntentModel.reserve). */
  reserve(items: number): void {
    this.model.reserve(items);
  }

  /** Questions taught for an item (corrections, confirmed phrasings), as opposed to its article's own text. */
  taught(itemId: string): number {
    return this.questions.get(itemId) ?? 0;
  }

  /** Where an item is served (its examples' updates then push down only items served there too: item-scope.ts). */
  scope(itemId: string, scope: ItemScope): void {
    if (isEverywhere(scope)) this.scopes.delete(itemId);
    else this.scopes.set(itemId, scope);
  }

  /**
   * Learns one example; `replay` false for article text, which seeds the model: ARTICLE_SEEDING says whether it
   * also takes a linear update (costly with many items) or only joins the item's sums.
   */
  learn(text: string, itemId: string, replay = true, asked?: AskedIn): void {
    const meaning = this.vectors?.embed(text);
    if (replay || this.articleUpdates) this.model.learn(questionFeatures(text, this.features), itemId, meaning, this.rivalsOf(itemId, asked));
    else this.model.seed(questionFeatures(text, this.features), itemId, meaning);
    if (replay) this.questions.set(itemId, this.taught(itemId) + 1);
    if (replay) {
      for (let r = 0; r < this.replay && this.examples.length > 0; r++) {
        const earlier = this.examples[Math.floor(this.random() * this.examples.length)]!;
        this.model.sharpen(questionFeatures(earlier.text, this.features), earlier.itemId, this.rivalsOf(earlier.itemId, earlier.asked));
      }
    }
    this.remember(asked ? { text, itemId, asked } : { text, itemId });
  }

  /**
   * Which items an update towards `itemId` may push down (item-scope.ts): those served where the example was asked,
   * when it knows; else as the item's scope says. Undefined (all) while no item is scoped.
   */
  private rivalsOf(itemId: string, asked?: AskedIn): ((rival: string) => boolean) | undefined {
    if (this.scopes.size === 0) return undefined;
    if (asked) return (rival) => servedIn(this.scopes.get(rival) ?? EVERYWHERE, asked);
    const own = this.scopes.get(itemId) ?? EVERYWHERE;
    return (rival) => mayRival(own, this.scopes.get(rival) ?? EVERYWHERE);
  }

  /** Every example of `itemId` becomes an example of `successorId` and is taught to it; `itemId` is forgotten. */
  relabel(itemId: string, successorId: string): void {
    this.model.merge(itemId, successorId);
    if (itemId !== successorId) this.scopes.delete(itemId);
    if (itemId !== successorId && this.questions.has(itemId)) {
      this.questions.set(successorId, this.taught(successorId) + this.taught(itemId));
      this.questions.delete(itemId);
    }
    for (const example of this.examples) {
      if (example.itemId !== itemId) continue;
      example.itemId = successorId;
      this.model.sharpen(questionFeatures(example.text, this.features), successorId, this.rivalsOf(successorId, example.asked));
    }
  }

  /** Forgets an item and its remembered examples (archived, or edited before being learned anew). */
  forget(itemId: string): void {
    this.model.forget(itemId);
    this.questions.delete(itemId);
    this.scopes.delete(itemId);
    for (let i = this.examples.length - 1; i >= 0; i--) {
      if (this.examples[i]!.itemId !== itemId) continue;
      this.characters -= this.examples[i]!.text.length;
      this.examples.splice(i, 1);
    }
  }

  /** Reservoir sampling: every example taught so far is in memory with the same probability. */
  private remember(example: Example): void {
    this.seen++;
    if (this.examples.length < this.memory) {
      this.examples.push(example);
      this.characters += example.text.length;
    } else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.memory) {
        this.characters += example.text.length - this.examples[slot]!.text.length;
        this.examples[slot] = example;
      }
    }
  }
}

/** An article body's sentences worth learning from. */
export function articleSentences(body: string): string[] {
  return sentences(body).filter((sentence) => sentence.length >= MIN_SENTENCE);
}
