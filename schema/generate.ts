/**
 * `npm run schema`: regenerates schema/*.graphql from the code. With --check it writes nothing and exits 1
 * when a checked-in file differs, naming the files (what CI and the schema test rely on).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSchemas } from './compose';

export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schema').replace(`${path.sep}dist${path.sep}schema`, `${path.sep}schema`);

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { files } = await composeSchemas();
  const stale = Object.entries(files).filter(([name, content]) => readOrEmpty(path.join(SCHEMA_DIR, name)) !== content);
  if (check) {
    if (stale.length > 0) {
      console.error(`schema/ is stale: ${stale.map(([name]) => name).join(', ')}. Run \`npm run schema\` and commit the result.`);
      process.exit(1);
    }
    console.log('schema/ is up to date');
    return;
  }
  for (const [name, content] of stale) writeFileSync(path.join(SCHEMA_DIR, name), content);
  console.log(stale.length > 0 ? `wrote ${stale.map(([name]) => name).join(', ')}` : 'schema/ is up to date');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
