import { pathToUnstorableText, unstorableCharacter } from '../../services/shared/unstorable-text';

const NUL = { character: 'a NUL character (U+0000)' };
const HALF = { character: expect.stringContaining('half of a UTF-16 surrogate pair') };

describe('pathToUnstorableText', () => {
  it('names the path of a string holding a NUL character', () => {
    expect(pathToUnstorableText({ input: { text: 'ok', tags: ['a', 'b\u0000'] } })).toEqual({ path: 'input.tags[1]', ...NUL });
    expect(pathToUnstorableText('a\u0000', 'body')).toEqual({ path: 'body', ...NUL });
  });

  it('names the path of a string holding half of a surrogate pair, high or low, at any place', () => {
    expect(pathToUnstorableText({ input: { text: 'hello \ud800 my card' } })).toEqual({ path: 'input.text', ...HALF });
    expect(pathToUnstorableText({ text: 'cut at the end \ud83d' })).toEqual({ path: 'text', ...HALF });
    expect(pathToUnstorableText({ text: '\ude00 cut at the start' })).toEqual({ path: 'text', ...HALF });
    expect(pathToUnstorableText({ text: 'swapped \ude00\ud83d pair' })).toEqual({ path: 'text', ...HALF });
  });

  it('names an object key holding one, printed without the raw character', () => {
    expect(pathToUnstorableText({ attributes: { 'pl\u0000an': 'pro' } })).toEqual({ path: 'attributes.pl\\u0000an', ...NUL });
    expect(pathToUnstorableText({ attributes: { 'pl\ud800an': 'pro' } })).toEqual({ path: 'attributes.pl\\uD800an', ...HALF });
  });

  it('finds nothing in clean input: other control characters, whole emoji, non-strings', () => {
    expect(pathToUnstorableText({ text: 'tab\tnew line\n\u0001 😀 𝄞 ok', n: 0, b: false, none: null, list: [1, 'x'] })).toBeUndefined();
    expect(unstorableCharacter('\ud83d\ude00')).toBeUndefined();
  });

  it('walks input nested far deeper than the call stack allows', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(pathToUnstorableText(deep)?.path).toBe('[0]'.repeat(200_000));
    let clean: unknown = 'x';
    for (let i = 0; i < 200_000; i++) clean = { a: clean };
    expect(pathToUnstorableText(clean)).toBeUndefined();
  });

  it('starts paths at the root path it is given', () => {
    expect(pathToUnstorableText({ id: '1\u0000' }, 'data')?.path).toBe('data.id');
  });
});
