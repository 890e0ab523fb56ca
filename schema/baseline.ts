/** `npm run schema:baseline`: records the current public API as the baseline breaking changes are measured from. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { apiSchemaOf } from './api-schema';
import { SCHEMA_DIR } from './generate';

const supergraph = readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');
writeFileSync(path.join(SCHEMA_DIR, 'api-baseline.graphql'), `${printSchema(apiSchemaOf(supergraph)).trim()}\n`);
const acknowledgements = path.join(SCHEMA_DIR, 'breaking-changes.json');
const current = JSON.parse(readFileSync(acknowledgements, 'utf8')) as { note: string };
writeFileSync(acknowledgements, `${JSON.stringify({ note: current.note, acknowledged: [] }, null, 2)}\n`);
console.log('schema/api-baseline.graphql recorded; acknowledged breaking changes cleared');
