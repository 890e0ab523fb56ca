import { EVERYWHERE, mayRival, servedIn } from '../../services/knowledge/intent/item-scope';
import { ReplayingModel } from '../../services/knowledge/intent/replaying-model';
import { prng } from '../../services/shared/random';

describe('which items compete in an update', () => {
  const starter = { plans: ['starter'], areas: [] };
  const business = { plans: ['business'], areas: [] };
  const web = { plans: [], areas: ['web'] };
  const mobile = { plans: [], areas: ['mobile'] };

  it('answers served in different plans or page areas never rival each other; items served everywhere rival and are rivalled by every item', () => {
    expect(mayRival(starter, business)).toBe(false);
    expect(mayRival(web, mobile)).toBe(false);
    expect(mayRival(starter, EVERYWHERE)).toBe(true);
    expect(mayRival(web, EVERYWHERE)).toBe(true);
    expect(mayRival(starter, starter)).toBe(true);
    expect(mayRival({ plans: ['starter'], areas: ['settings', 'billing'] }, { plans: [], areas: ['billing'] })).toBe(true);
    expect(mayRival(EVERYWHERE, starter)).toBe(true);
    expect(mayRival(EVERYWHERE, web)).toBe(true);
    expect(mayRival(EVERYWHERE, EVERYWHERE)).toBe(true);
  });

  it('an example that knows where it was asked rivals exactly what was served there', () => {
    const starterOnWeb = { plan: 'starter', areas: ['web', 'settings'] };
    expect(servedIn(EVERYWHERE, starterOnWeb)).toBe(true);
    expect(servedIn(starter, starterOnWeb)).toBe(true);
    expect(servedIn(business, starterOnWeb)).toBe(false);
    expect(servedIn(web, starterOnWeb)).toBe(true);
    expect(servedIn(mobile, starterOnWeb)).toBe(false);
    expect(servedIn(starter, { plan: null, areas: [] })).toBe(false);
    expect(servedIn(EVERYWHERE, { plan: null, areas: [] })).toBe(true);
  });

  it('keeps two answers to the same questions, scoped to two plans, from undoing each other', () => {
    const questions = ['what does a wire transfer cost', 'how much is a wire transfer', 'is there a fee for wire transfers', 'wire transfer price', 'do wire transfers cost anything'];
    // Margin of the Starter answer over the best item a Starter asker could also be given (not the Business answer).
    const starterMargin = (scoped: boolean) => {
      const sut = new ReplayingModel(prng(1), { rows: 1024, vectors: null });
      sut.learn('Wire transfers: send money to another bank from Payments > Wire.', 'article', false);
      sut.learn('Cards: order a new card from the Cards tab.', 'cards', false);
      if (scoped) {
        sut.scope('starter-answer', { plans: ['starter'], areas: [] });
        sut.scope('business-answer', { plans: ['business'], areas: [] });
      }
      for (const question of questions) {
        sut.learn(question, 'starter-answer');
        sut.learn(question, 'business-answer');
      }
      const ranked = sut.rank('how much does a wire transfer cost').filter((p) => p.itemId !== 'business-answer');
      expect(ranked[0]?.itemId).toBe('starter-answer');
      return ranked[0]!.score - ranked[1]!.score;
    };
    const unscoped = starterMargin(false);
    const scoped = starterMargin(true);
    expect(scoped).toBeGreaterThan(unscoped + 0.2);
  });

  it("an answer served everywhere pushes a scoped answer down only with questions asked where that one is served", () => {
    const margin = (askedPlan: string) => {
      const sut = new ReplayingModel(prng(1), { rows: 1024, vectors: null });
      sut.scope('starter-fee', { plans: ['starter'], areas: [] });
      for (const q of ['what is the fee for a wire transfer', 'wire transfer fee on my plan']) sut.learn(q, 'starter-fee', true, { plan: 'starter', areas: [] });
      // Another need that shares words, taught from one plan's askers only.
      for (const q of ['the wire transfer did not arrive', 'my wire transfer has not arrived yet', 'where is my wire transfer']) sut.learn(q, 'transfer-missing', true, { plan: askedPlan, areas: [] });
      const ranked = sut.rank('my wire transfer has not arrived');
      return ranked.find((p) => p.itemId === 'transfer-missing')!.score - ranked.find((p) => p.itemId === 'starter-fee')!.score;
    };
    // Asked by Starter customers, the other need's questions were ones the Starter answer could have taken: it is pushed down.
    expect(margin('starter')).toBeGreaterThan(margin('business') + 0.2);
  });
});
