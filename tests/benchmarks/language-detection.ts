/**
 * How well the question language detector reads short support questions, and what it costs:
 * `npm run bench:language`. Over tests/fixtures/language-samples.json (16 short questions in each of 8 languages,
 * written for this), it scores fastText's lid.176 model alone, tinyld's heavy tables alone, and the detector
 * conversation uses (both; a language is certain only when they agree, services/conversation/language/), with the
 * workspace's language (English) preferred when they disagree, as a workspace whose knowledge is English does.
 * Times are CPU time of this process per question. Writes tests/benchmarks/results/language-detection.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LanguageDetector } from '../../services/conversation/language/language-detector';
import { detectAll } from '../../services/conversation/language/tinyld-heavy';
import { REPO_ROOT } from '../helpers/repo-root';

interface Score {
  correct: number;
  total: number;
  accuracy: number;
  /** English questions read as another language: the costly mistake (a hand-off in a language the customer did not write). */
  englishMisread: number;
  perLanguage: Record<string, number>;
  misses: string[];
  cpuMicrosecondsPerQuestion: number;
}

async function score(samples: Array<[string, string]>, detect: (text: string) => Promise<string>): Promise<Score> {
  for (const [, text] of samples.slice(0, 10)) await detect(text);
  const perLanguage: Record<string, number> = {};
  const misses: string[] = [];
  let correct = 0;
  let englishMisread = 0;
  const started = process.cpuUsage();
  for (const [language, text] of samples) {
    const read = await detect(text);
    if (read === language) {
      correct++;
      perLanguage[language] = (perLanguage[language] ?? 0) + 1;
    } else {
      misses.push(`${language} read as ${read}: ${text}`);
      if (language === 'en') englishMisread++;
    }
  }
  const used = process.cpuUsage(started);
  return {
    correct,
    total: samples.length,
    accuracy: Math.round((1000 * correct) / samples.length) / 10,
    englishMisread,
    perLanguage,
    misses,
    cpuMicrosecondsPerQuestion: Math.round(((used.user + used.system) / samples.length) * 10) / 10,
  };
}

async function main() {
  const fixture = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'language-samples.json'), 'utf8')) as { samples: Record<string, string[]> };
  const samples = Object.entries(fixture.samples).flatMap(([language, texts]) => texts.map((text) => [language, text] as [string, string]));
  const detector = new LanguageDetector();
  const loadStarted = performance.now();
  const fastText = await detector.load();
  const loadMs = Math.round(performance.now() - loadStarted);
  const results = {
    setup: { node: process.version, cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, questions: samples.length, languages: Object.keys(fixture.samples) },
    fastTextLoadMs: loadMs,
    fastText: await score(samples, async (text) => fastText.predict(text.replace(/\s+/g, ' ').toLowerCase(), 1, 0).get(0)[1].replace('__label__', '')),
    tinyld: await score(samples, async (text) => detectAll(text)[0]?.lang ?? 'und'),
    detector: await score(samples, async (text) => (await detector.detect(text, ['en'])).language),
  };
  for (const name of ['fastText', 'tinyld', 'detector'] as const) {
    const r = results[name];
    console.log(`${name}: ${r.correct}/${r.total} (${r.accuracy}%), English misread ${r.englishMisread}, ${r.cpuMicrosecondsPerQuestion} µs CPU per question${r.misses.length ? `; misses: ${r.misses.join(' | ')}` : ''}`);
  }
  console.log(`fastText model load: ${loadMs} ms`);
  const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'language-detection.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(REPO_ROOT, out)}`);
}

void main();
