import { IntentModel } from '../../services/knowledge/intent/intent-model';
import { questionFeatures } from '../../services/knowledge/intent/question-features';
import { ReplayingModel } from '../../services/knowledge/intent/replaying-model';
import { prng } from '../../services/shared/random';

const top = (model: IntentModel, question: string) => model.rank(questionFeatures(question))[0]?.itemId;

describe('question features', () => {
  it('are unit length, and a typo still shares most of a word', () => {
    const x = questionFeatures('My card was declined at the shop');
    const norm = Math.sqrt(Array.from(x.values).reduce((sum, v) => sum + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    const dot = (a: ReturnType<typeof questionFeatures>, b: ReturnType<typeof questionFeatures>) => {
      const index = new Map(Array.from(a.indices).map((i, k) => [i, a.values[k]!]));
      return Array.from(b.indices).reduce((sum, i, k) => sum + (index.get(i) ?? 0) * b.values[k]!, 0);
    };
    expect(dot(questionFeatures('transfer received'), questionFeatures('transfer recieved'))).toBeGreaterThan(dot(questionFeatures('transfer received'), questionFeatures('card declined')));
  });
});

describe('the intent model', () => {
  it('learns from one example at a time and answers a paraphrase it never saw', () => {
    const model = new IntentModel();
    model.learn(questionFeatures('My card has not arrived yet'), 'card-arrival');
    model.learn(questionFeatures('How do I top up with a bank transfer?'), 'top-up');
    model.learn(questionFeatures('Why was I charged a fee for the transfer?'), 'transfer-fee');
    expect(top(model, 'still waiting for my new card to arrive')).toBe('card-arrival');
    expect(top(model, 'what is this fee on my transfer')).toBe('transfer-fee');
  });

  it('one correction moves a question it got wrong to the right item, without losing the others', () => {
    const model = new IntentModel();
    model.learn(questionFeatures('How do I top up my account?'), 'top-up');
    model.learn(questionFeatures('My card payment was declined'), 'declined');
    const question = 'Top up failed and my card was declined';
    const before = top(model, question);
    const right = before === 'top-up' ? 'declined' : 'top-up';
    model.learn(questionFeatures(question), right);
    expect(top(model, question)).toBe(right);
    expect(top(model, 'How do I top up my account?')).toBe('top-up');
  });

  it('ranks only eligible items when asked to', () => {
    const model = new IntentModel();
    model.learn(questionFeatures('reset my password'), 'a');
    model.learn(questionFeatures('change my password'), 'b');
    expect(model.rank(questionFeatures('reset my password'), (id) => id !== 'a').map((p) => p.itemId)).toEqual(['b']);
  });
});

describe('the intent model in memory', () => {
  const questions = (n: number) => Array.from({ length: n }, (_, i) => [`question number ${i} about topic ${i % 3} and word${i}`, `item-${i % 3}`] as const);

  it('keeps a fixed size per item however many questions it is taught', () => {
    const few = new IntentModel({ rows: 1024 });
    const many = new IntentModel({ rows: 1024 });
    for (const [text, item] of questions(30)) few.learn(questionFeatures(text), item);
    for (const [text, item] of questions(3_000)) many.learn(questionFeatures(text), item);
    expect(many.bytes).toBe(few.bytes);
    // Per column: weights and sums (rows floats each), two doubles, and 100 meaning floats plus their norm.
    expect(many.bytes).toBeLessThanOrEqual(4 * 1024 * 8 + 4 * 16 + 4 * (100 * 4 + 8));
  });

  it('remembers at most its replay memory of questions', () => {
    const sut = new ReplayingModel(prng(1), { rows: 1024, memory: 50 });
    for (const [text, item] of questions(200)) sut.learn(text, item);
    const taughtFifty = new ReplayingModel(prng(1), { rows: 1024, memory: 50 });
    for (const [text, item] of questions(50)) taughtFifty.learn(text, item);
    expect(sut.size).toBe(200);
    expect(sut.bytes - taughtFifty.bytes).toBeLessThan(50 * 2 * 10);
  });

  it('forgets an item: it is never ranked again, and a new item takes its place', () => {
    const sut = new IntentModel({ rows: 1024 });
    sut.learn(questionFeatures('reset my password'), 'a');
    sut.learn(questionFeatures('close my account'), 'b');
    const bytes = sut.bytes;
    sut.forget('a');
    expect(sut.rank(questionFeatures('reset my password')).map((p) => p.itemId)).toEqual(['b']);
    sut.learn(questionFeatures('change my email address'), 'c');
    expect(sut.bytes).toBe(bytes);
    expect(top(sut, 'how do I change my email address')).toBe('c');
  });

  it("hands a superseded item's questions to its successor", () => {
    const sut = new ReplayingModel(prng(1), { rows: 1024 });
    sut.learn('how long does card delivery take', 'old');
    sut.learn('when will my card arrive', 'old');
    sut.learn('how do I top up', 'top-up');
    sut.relabel('old', 'new');
    expect(sut.rank('when will my card arrive')[0]?.itemId).toBe('new');
    expect(sut.rank('when will my card arrive').map((p) => p.itemId)).not.toContain('old');
  });
});
