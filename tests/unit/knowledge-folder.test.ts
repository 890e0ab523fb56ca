import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KnowledgeFolderError, readKnowledgeFolder } from '../../services/knowledge/import/knowledge-folder';

const BANKING77 = path.join(__dirname, '..', '..', '..', 'shared', 'datasets', 'banking77');

describe('reading a folder of starting knowledge', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loopdesk-kb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a data set kb.jsonl: one article per label, the label as key and topic', () => {
    const sut = readKnowledgeFolder(BANKING77);
    expect(sut).toHaveLength(77);
    expect(sut[0]).toMatchObject({ externalKey: 'card_arrival', topic: 'card_arrival', title: "Your new card hasn't arrived yet" });
    expect(new Set(sut.map((a) => a.externalKey)).size).toBe(77);
  });

  it('reads Markdown files with front matter, recursively, keyed by path', () => {
    mkdirSync(path.join(dir, 'billing'));
    writeFileSync(path.join(dir, 'billing', 'refunds.md'), '---\ntitle: Refunds\ntopic: billing\ntags: [payments, refunds]\nplans: pro, enterprise\n---\nRefunds take five days.\n');
    writeFileSync(path.join(dir, 'login.md'), '# Signing in\n\nUse your work email.\n');
    const sut = readKnowledgeFolder(dir);
    expect(sut).toEqual([
      { externalKey: 'billing/refunds', title: 'Refunds', body: 'Refunds take five days.', topic: 'billing', tags: ['payments', 'refunds'], audiencePlans: ['pro', 'enterprise'], audienceSegments: [] },
      { externalKey: 'login', title: 'Signing in', body: '# Signing in\n\nUse your work email.', topic: '', tags: [], audiencePlans: [], audienceSegments: [] },
    ]);
  });

  it('says what is wrong with a bad kb.jsonl line', () => {
    writeFileSync(path.join(dir, 'kb.jsonl'), '{"label":"a","title":"A","body":"x"}\n{"label":"b"}\n');
    expect(() => readKnowledgeFolder(dir)).toThrow(new KnowledgeFolderError(`${path.join(dir, 'kb.jsonl')}:2 needs string fields label, title and body (and locale, if given, an ISO 639 code such as "es")`));
  });

  it('says a bad locale is wrong', () => {
    writeFileSync(path.join(dir, 'kb.jsonl'), '{"label":"a","title":"A","body":"x","locale":"Spanish"}\n');
    expect(() => readKnowledgeFolder(dir)).toThrow(/kb\.jsonl:1 needs .*ISO 639 code/);
  });

  it('refuses a folder with nothing to import', () => {
    expect(() => readKnowledgeFolder(dir)).toThrow(/neither kb.jsonl nor Markdown/);
  });
});
