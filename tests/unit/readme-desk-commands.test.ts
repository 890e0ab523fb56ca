/**
 * The README's "A day at the desk" commands stay true to the API: every GraphQL document in that bash block parses
 * and validates against the public API schema (schema/supergraph.graphql as the gateway serves it), so a renamed
 * field or a new required argument cannot leave the team's instructions behind.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { apiSchemaOf } from '../../schema/api-schema';
import { REPO_ROOT } from '../helpers/repo-root';

function deskDocuments(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### A day at the desk, as commands'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the desk section has no bash block');
  // gql KEY 'DOCUMENT' …, and documents inside a jq-built body: {query: "DOCUMENT", …}.
  const viaGql = [...block.matchAll(/gql "\$\w+" '([^']*)'/g)].map((match) => match[1]!);
  const viaCurl = [...block.matchAll(/\{query: "([^"]*)"/g)].map((match) => match[1]!);
  return [...viaGql, ...viaCurl];
}

const schema = apiSchemaOf(readFileSync(path.join(REPO_ROOT, 'schema', 'supergraph.graphql'), 'utf8'));

it('every GraphQL document of the desk walkthrough validates against the API schema', () => {
  const documents = deskDocuments();
  expect(documents.length).toBeGreaterThanOrEqual(25);
  for (const document of documents) {
    expect([document, validate(schema, parse(document)).map((error) => error.message)]).toEqual([document, []]);
  }
});

it('a document the API does not have fails the check, so it can fail', () => {
  expect(validate(schema, parse('{ conversation(id: "x") { noSuchField } }')).length).toBeGreaterThan(0);
});
