import { boundedMemo } from '../../services/shared/memo';

describe('boundedMemo', () => {
  it('computes each key once while it is remembered, null answers included', () => {
    const computed: string[] = [];
    const sut = boundedMemo((key) => {
      computed.push(key);
      return key === 'none' ? null : key.toUpperCase();
    }, 10);
    expect([sut('a'), sut('b'), sut('a'), sut('none'), sut('none')]).toEqual(['A', 'B', 'A', null, null]);
    expect(computed).toEqual(['a', 'b', 'none']);
  });

  it('forgets everything once full, and computes a key asked again', () => {
    const computed: string[] = [];
    const sut = boundedMemo((key) => {
      computed.push(key);
      return key.length;
    }, 2);
    sut('a');
    sut('bb');
    sut('ccc'); // full: a and bb are forgotten, ccc is remembered
    expect(sut('a')).toBe(1);
    expect(sut('ccc')).toBe(3);
    expect(sut('bb')).toBe(2);
    expect(computed).toEqual(['a', 'bb', 'ccc', 'a', 'bb']);
  });
});
