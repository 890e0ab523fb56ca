/**
 * Reads a folder of starting knowledge into articles for `importArticles`. Two layouts:
 * - a data-set folder with `kb.jsonl` (one `{"label","title","body"}` per line): the label becomes the
 *   article's external key and topic;
 * - a folder of Markdown files with front matter (`title`, `topic`, `tags`, `plans`, `segments`, `key`, `locale`):
 *   the key defaults to the file's path without extension, the title to the first heading or the file name.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import type { ArticleFields } from '../knowledge-item/knowledge-item.service';
import { LOCALE_PATTERN } from '../knowledge-item/locale';

const locale = z.string().regex(LOCALE_PATTERN).optional();
const kbLine = z.object({ label: z.string().min(1), title: z.string().min(1), body: z.string().min(1), locale });

const stringList = z.union([z.string().transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)), z.array(z.string())]).optional();
const frontMatter = z.object({
  title: z.string().min(1).optional(),
  topic: z.string().optional(),
  tags: stringList,
  plans: stringList,
  segments: stringList,
  key: z.string().min(1).optional(),
  locale,
});

export class KnowledgeFolderError extends Error {}

export function readKnowledgeFolder(folder: string): ArticleFields[] {
  const kb = path.join(folder, 'kb.jsonl');
  if (exists(kb)) return readKbJsonl(kb);
  const files = markdownFiles(folder);
  if (files.length === 0) throw new KnowledgeFolderError(`${folder} has neither kb.jsonl nor Markdown (.md) files`);
  return files.map((file) => readMarkdown(folder, file));
}

export function readKbJsonl(file: string): ArticleFields[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, index }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new KnowledgeFolderError(`${file}:${index + 1} is not JSON`);
      }
      const result = kbLine.safeParse(parsed);
      if (!result.success) throw new KnowledgeFolderError(`${file}:${index + 1} needs string fields label, title and body (and locale, if given, an ISO 639 code such as "es")`);
      const { label, title, body, locale: lang } = result.data;
      return { externalKey: label, topic: label, title, body, ...(lang ? { locale: lang } : {}) };
    });
}

function readMarkdown(folder: string, file: string): ArticleFields {
  const parsed = matter(readFileSync(file, 'utf8'));
  const meta = frontMatter.safeParse(parsed.data);
  if (!meta.success) throw new KnowledgeFolderError(`${file}: front matter fields title, topic, key are strings; tags, plans, segments are lists; locale is an ISO 639 code such as "es"`);
  const relative = path.relative(folder, file).replace(/\\/g, '/').replace(/\.md$/i, '');
  const heading = parsed.content.match(/^#\s+(.+)$/m)?.[1]?.trim();
  const body = parsed.content.trim();
  if (!body) throw new KnowledgeFolderError(`${file} has no body`);
  return {
    externalKey: meta.data.key ?? relative,
    title: meta.data.title ?? heading ?? path.basename(relative),
    body,
    topic: meta.data.topic ?? '',
    tags: meta.data.tags ?? [],
    audiencePlans: meta.data.plans ?? [],
    audienceSegments: meta.data.segments ?? [],
    ...(meta.data.locale ? { locale: meta.data.locale } : {}),
  };
}

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return markdownFiles(full);
      return entry.isFile() && /\.md$/i.test(entry.name) ? [full] : [];
    })
    .sort();
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
