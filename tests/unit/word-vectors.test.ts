import { IntentModel } from '../../services/knowledge/intent/intent-model';
import { questionFeatures } from '../../services/knowledge/intent/question-features';
import { ReplayingModel } from '../../services/knowledge/intent/replaying-model';
import { wordVectors } from '../../services/knowledge/intent/word-vectors';
import { prng } from '../../services/shared/random';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('the shipped word vectors', () => {
  const vectors = wordVectors();

  it('embed a text as a unit vector of its known words, and nothing for none', () => {
    expect(vectors.words).toBe(100_000);
    const e = vectors.embed('How do I top up my account?')!;
    expect(e).toHaveLength(100);
    expect(cosine(e, e)).toBeCloseTo(1, 5);
    expect(vectors.embed('the and of')).toBeNull();
    expect(vectors.embed('qzxv wkkrtz')).toBeNull();
  });

  it('place words of one meaning nearer than unrelated ones', () => {
    const topUp = vectors.embed('top up my balance')!;
    expect(cosine(topUp, vectors.embed('add money to my account')!)).toBeGreaterThan(cosine(topUp, vectors.embed('my card was stolen')!));
    const lost = vectors.embed('I lost my wallet')!;
    expect(cosine(lost, vectors.embed('my purse went missing')!)).toBeGreaterThan(cosine(lost, vectors.embed('change my email address')!));
  });

  it('are read once per process', () => {
    expect(wordVectors()).toBe(vectors);
  });
});

describe("the intent model's meaning vote", () => {
  const vectors = wordVectors();
  // Taught one phrasing each; the question shares no word with either.
  const teach = (model: ReplayingModel) => {
    model.learn('purse stolen', 'theft');
    model.learn('change email address', 'email');
  };
  const question = 'someone took my wallet';

  it("reaches a phrasing that shares no word with the one taught, where words alone choose wrong", () => {
    const withMeaning = new ReplayingModel(prng(1), { rows: 1024, vectors });
    const wordsOnly = new ReplayingModel(prng(1), { rows: 1024, vectors: null });
    teach(withMeaning);
    teach(wordsOnly);
    expect(withMeaning.rank(question)[0]?.itemId).toBe('theft');
    expect(wordsOnly.rank(question)[0]?.itemId).toBe('email');
  });

  it("forgets an item's meanings with it, and hands them to a successor", () => {
    const model = new IntentModel({ rows: 1024 });
    const learn = (text: string, itemId: string) => model.learn(questionFeatures(text), itemId, vectors.embed(text));
    const rank = (text: string) => model.rank(questionFeatures(text), undefined, vectors.embed(text));
    learn('my purse was stolen', 'old-theft');
    learn('how do I change my email', 'email');
    model.merge('old-theft', 'theft');
    expect(rank(question)[0]?.itemId).toBe('theft');
    model.forget('theft');
    learn('reset my password', 'password');
    // The freed column is reused: nothing of the stolen-purse meaning may linger in it.
    const meaningOnly = new IntentModel({ rows: 1024, centroidWeight: 0, bayesWeight: 0 });
    meaningOnly.learn(questionFeatures('reset my password'), 'password', vectors.embed('reset my password'));
    const score = (m: IntentModel) => m.rank(questionFeatures(question), (id) => id === 'password', vectors.embed(question))[0]!.score;
    expect(rank(question).map((p) => p.itemId)).not.toContain('theft');
    expect(score(model)).toBeLessThan(score(meaningOnly) + 1);
  });

  it('does not make a lone item look surer of an unrelated question (the vote only reorders items)', () => {
    const withMeaning = new ReplayingModel(prng(1), { rows: 1024, vectors });
    const wordsOnly = new ReplayingModel(prng(1), { rows: 1024, vectors: null });
    for (const model of [withMeaning, wordsOnly]) model.learn('Can I export my invoices as a single PDF?', 'invoices-pdf');
    const asked = 'Why is my card declined?';
    expect(withMeaning.rank(asked)[0]!.score).toBeCloseTo(wordsOnly.rank(asked)[0]!.score, 6);
    // With a rival, the vote's favourite gets 0 and the other less: the gap is the weighted difference of cosines.
    for (const model of [withMeaning, wordsOnly]) model.learn('my card was declined at the shop', 'declined');
    const gap = (model: ReplayingModel) => {
      const [a, b] = model.rank(asked);
      return a!.itemId === 'declined' ? a!.score - b!.score : -(a!.score - b!.score);
    };
    expect(gap(withMeaning)).toBeGreaterThan(gap(wordsOnly));
  });

  it('rejects a meaning vector of the wrong length', () => {
    const model = new IntentModel({ rows: 64 });
    expect(() => model.learn(questionFeatures('hello there'), 'a', new Float32Array(3))).toThrow(/100 dimensions/);
  });
});
