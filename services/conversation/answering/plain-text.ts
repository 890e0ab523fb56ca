/** Markdown to readable prose: what the extractive answerer quotes from (split into sentences by shared/text). */

/** One block of prose: a paragraph, a list item, a table row or a line of code. */
export interface ProseBlock {
  text: string;
  /** An item of a list (numbered or bulleted): consecutive items are one list, such as the steps of a procedure. */
  listItem: boolean;
}

/** Strips Markdown syntax and returns prose blocks (paragraphs, list items, table rows); headings are marked so callers can skip them. */
function markdownBlocks(markdown: string): Array<ProseBlock & { heading: boolean }> {
  const blocks: Array<ProseBlock & { heading: boolean }> = [];
  let paragraph: string[] = [];
  let inFence = false;
  const flush = (listItem = false) => {
    const text = collapse(paragraph.join(' '));
    if (text) blocks.push({ text, heading: false, listItem });
    paragraph = [];
  };

  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      // Code is kept as one block per line: it is usually a command or a value the customer needs verbatim.
      const code = collapse(line);
      if (code) blocks.push({ text: code, heading: false, listItem: false });
      continue;
    }
    if (/^\s*$/.test(line) || /^\s*([-*_])(\s*\1){2,}\s*$/.test(line) || /^\s*\|?[\s:|-]*-[\s:|-]*\|?\s*$/.test(line) && line.includes('|')) {
      flush();
      continue;
    }
    if (/^\s*\[[^\]]+\]:\s*\S+/.test(line)) continue; // reference-style link definition
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const text = collapse(inline(heading[1]));
      if (text) blocks.push({ text, heading: true, listItem: false });
      continue;
    }
    if (/^\s*(=+|-+)\s*$/.test(line) && paragraph.length > 0) {
      // Setext heading underline: the paragraph collected so far was a heading.
      const text = collapse(paragraph.join(' '));
      paragraph = [];
      if (text) blocks.push({ text, heading: true, listItem: false });
      continue;
    }
    const unquoted = line.replace(/^\s*(>\s?)+/, '');
    const item = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(unquoted);
    if (item) {
      flush();
      paragraph.push(inline(item[2]));
      flush(true);
      continue;
    }
    if (unquoted.includes('|') && /^\s*\|/.test(unquoted)) {
      flush();
      const cells = unquoted.split('|').map((cell) => collapse(inline(cell))).filter(Boolean);
      if (cells.length) blocks.push({ text: cells.join(', '), heading: false, listItem: false });
      continue;
    }
    paragraph.push(inline(unquoted));
  }
  flush();
  return blocks;
}

/** Readable prose blocks from Markdown, each ending as a sentence (headings dropped unless nothing else is left). */
export function markdownToProseBlocks(markdown: string): ProseBlock[] {
  const blocks = markdownBlocks(markdown);
  const body = blocks.filter((block) => !block.heading);
  return (body.length > 0 ? body : blocks).map((block) => ({ text: endSentence(block.text), listItem: block.listItem }));
}

/** Readable prose from Markdown: blocks become sentences of one paragraph (headings dropped unless nothing else is left). */
export function markdownToProse(markdown: string): string {
  return markdownToProseBlocks(markdown)
    .map((block) => block.text)
    .join(' ');
}

function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images → alt text
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)(?:\s+"[^"]*")?\)/g, '$1 ($2)') // absolute links keep their address
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // relative links → text
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference links → text
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1') // autolinks
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ') // inline HTML tags
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![A-Za-z0-9_])__(?=\S)(.+?)(?<=\S)__(?![A-Za-z0-9_])/g, '$1')
    .replace(/\*(?=\S)(.+?)(?<=\S)\*/g, '$1')
    .replace(/(?<![A-Za-z0-9_])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9_])/g, '$1') // snake_case survives
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function endSentence(text: string): string {
  return /[.!?:;]["')\]]?$/.test(text) ? text : `${text}.`;
}
