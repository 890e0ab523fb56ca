import { STOP_WORDS, sentences, stem, tokens } from '../../services/shared/text';

describe('text as the services read it', () => {
  it('tokenises into lower-case words, apostrophes dropped, currency signs kept only when asked', () => {
    expect(tokens("Why isn't my top-up showing?")).toEqual(['why', 'isnt', 'my', 'top', 'up', 'showing']);
    expect(tokens('Charged $5 in €')).toEqual(['charged', '5', 'in']);
    expect(tokens('Charged $5 in €', { currency: true })).toEqual(['charged', '$5', 'in', '€']);
  });

  it('stems word forms to one key: plurals, verb endings and derived forms', () => {
    expect(['cards', 'charged', 'charging', 'charge', 'fees', 'topping', 'cancelling', 'cancelled'].map(stem)).toEqual(['card', 'charg', 'charg', 'charg', 'fee', 'top', 'cancel', 'cancel']);
    expect(['status', 'business'].map(stem)).toEqual(['status', 'busi']);
  });

  it('lists function words and request words, written as the tokeniser returns them', () => {
    for (const word of ['the', 'dont', 'please', 'help', 'shall']) expect(STOP_WORDS.has(word)).toBe(true);
    for (const word of ['refund', 'card', 'password']) expect(STOP_WORDS.has(word)).toBe(false);
  });

  it('splits sentences at their ends and line breaks, keeping decimals and lower-case continuations whole', () => {
    expect(sentences('Version 2.5 is out. Update now! Why? Open it at 9 a.m. tomorrow.\nNext line')).toEqual([
      'Version 2.5 is out.',
      'Update now!',
      'Why?',
      'Open it at 9 a.m. tomorrow.',
      'Next line',
    ]);
    expect(sentences('He said "yes." Then left.')).toEqual(['He said "yes."', 'Then left.']);
  });

  it('gives back the text exactly when asked for the untrimmed segments', () => {
    const text = 'One sentence.  Two sentences.\n\n- a list item\n';
    expect(sentences(text, { exact: true }).join('')).toBe(text);
  });
});
