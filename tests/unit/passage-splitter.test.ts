import { MAX_PASSAGE, splitIntoPassages } from '../../services/knowledge/knowledge-item/passage-splitter';

describe('splitting an article into passages', () => {
  it('keeps short paragraphs together in one passage', () => {
    expect(splitIntoPassages('T', 'First paragraph.\n\nSecond paragraph.')).toEqual(['First paragraph.\n\nSecond paragraph.']);
  });

  it('never makes a passage longer than the limit and loses no text', () => {
    const sentence = 'Refunds are processed within five business days of approval. ';
    const body = [sentence.repeat(30), sentence.repeat(5), 'x'.repeat(MAX_PASSAGE * 2 + 10)].join('\n\n');
    const sut = splitIntoPassages('T', body);
    expect(sut.length).toBeGreaterThan(3);
    for (const passage of sut) expect(passage.length).toBeLessThanOrEqual(MAX_PASSAGE);
    expect(sut.join('').replace(/\s+/g, '')).toBe(body.replace(/\s+/g, ''));
  });

  it('falls back to the title when the body has no text', () => {
    expect(splitIntoPassages('Only a title', '   \n\n  ')).toEqual(['Only a title']);
  });
});
