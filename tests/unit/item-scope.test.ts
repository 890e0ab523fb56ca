import { EVERYWHERE, mayRival } from '../../services/knowledge/intent/item-scope';
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
});
