import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSchemas } from '../../schema/compose';

describe('the checked-in schema/', () => {
  it('matches what the code generates (run `npm run schema` after an API change)', async () => {
    const { files } = await composeSchemas();
    expect(Object.keys(files).sort()).toEqual(['account-context.graphql', 'conversation.graphql', 'insights.graphql', 'knowledge.graphql', 'supergraph.graphql']);
    for (const [name, content] of Object.entries(files)) {
      const checkedIn = readFileSync(path.join(__dirname, '..', '..', 'schema', name), 'utf8');
      expect({ name, content }).toEqual({ name, content: checkedIn });
    }
  });
});
