import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { apiSchemaOf } from '../../schema/api-schema';

const schemaDir = path.join(__dirname, '..', '..', 'schema');

describe('the public API', () => {
  it('breaks nothing against schema/api-baseline.graphql unless the break is acknowledged in schema/breaking-changes.json', async () => {
    const baseline = buildSchema(readFileSync(path.join(schemaDir, 'api-baseline.graphql'), 'utf8'));
    const current = apiSchemaOf(readFileSync(path.join(schemaDir, 'supergraph.graphql'), 'utf8'));
    const { acknowledged } = JSON.parse(readFileSync(path.join(schemaDir, 'breaking-changes.json'), 'utf8')) as {
      acknowledged: Array<{ change: string; reason: string }>;
    };
    const breaking = (await diff(baseline, current)).filter((change) => change.criticality.level === CriticalityLevel.Breaking);
    const unacknowledged = breaking.map((change) => change.message).filter((message) => !acknowledged.some((a) => a.change === message && a.reason.trim().length > 0));
    expect(unacknowledged).toEqual([]);
  });
});
