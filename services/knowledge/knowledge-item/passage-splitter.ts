import { sentences } from '../../shared/text';

/** Splits a Markdown body into passages of whole paragraphs, each at most MAX_PASSAGE characters. */
export const MAX_PASSAGE = 800;

export function splitIntoPassages(title: string, body: string): string[] {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const passages: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    for (const piece of chop(paragraph)) {
      if (current && current.length + piece.length + 2 > MAX_PASSAGE) {
        passages.push(current);
        current = '';
      }
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  if (current) passages.push(current);
  return passages.length > 0 ? passages : [title];
}

/** A paragraph longer than a passage is cut at sentence ends, or hard at MAX_PASSAGE as a last resort. */
function chop(paragraph: string): string[] {
  if (paragraph.length <= MAX_PASSAGE) return [paragraph];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences(paragraph, { exact: true })) {
    if (sentence.length > MAX_PASSAGE) {
      if (current) pieces.push(current.trim());
      current = '';
      for (let i = 0; i < sentence.length; i += MAX_PASSAGE) pieces.push(sentence.slice(i, i + MAX_PASSAGE).trim());
      continue;
    }
    if (current.length + sentence.length > MAX_PASSAGE) {
      pieces.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}
