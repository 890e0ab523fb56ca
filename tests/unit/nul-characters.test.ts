import { pathToNulCharacter } from '../../services/shared/nul-characters';

describe('pathToNulCharacter', () => {
  it('names the path of a string holding a NUL character', () => {
    expect(pathToNulCharacter({ input: { text: 'ok', tags: ['a', 'b\u0000'] } })).toBe('input.tags[1]');
    expect(pathToNulCharacter('a\u0000', 'body')).toBe('body');
  });

  it('names an object key holding one, printed without the raw character', () => {
    expect(pathToNulCharacter({ attributes: { 'pl\u0000an': 'pro' } })).toBe('attributes.pl\\u0000an');
  });

  it('finds nothing in clean input, including other control characters and non-strings', () => {
    expect(pathToNulCharacter({ text: 'tab\tnew line\n\u0001', n: 0, b: false, none: null, list: [1, 'x'] })).toBeUndefined();
  });

  it('walks input nested far deeper than the call stack allows', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(pathToNulCharacter(deep)).toBe('[0]'.repeat(200_000));
    let clean: unknown = 'x';
    for (let i = 0; i < 200_000; i++) clean = { a: clean };
    expect(pathToNulCharacter(clean)).toBeUndefined();
  });

  it('starts paths at the root path it is given', () => {
    expect(pathToNulCharacter({ id: '1\u0000' }, 'data')).toBe('data.id');
  });
});
