/**
 * The federation query planner's refusals reach the caller as validation failures: an introspection query built
 * with graphql-js's `oneOf: true` asks for `__Type.isOneOf`, which graphql-js validates and the planner rejects.
 * Runs the real ApolloGateway over the checked-in supergraph (introspection needs no subgraph).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery } from 'graphql';
import { formatGatewayError } from '../../gateway/planner-errors';

let sut: ApolloServer;

beforeAll(async () => {
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(path.join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8') });
  sut = new ApolloServer({ gateway, formatError: formatGatewayError, introspection: true, includeStacktraceInErrorResponses: false });
  await sut.start();
});

afterAll(async () => {
  await sut?.stop();
});

async function run(query: string) {
  const response = await sut.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

describe('formatGatewayError', () => {
  it('answers a query asking for isOneOf as GRAPHQL_VALIDATION_FAILED naming the field, not as an internal error', async () => {
    const result = await run(getIntrospectionQuery({ oneOf: true }));
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('isOneOf'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });

  it('lets the introspection query with every other option GraphiQL and Sandbox use through', async () => {
    const result = await run(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expect(result.errors).toBeUndefined();
    expect((result.data as any).__schema.types.map((type: { name: string }) => type.name)).toEqual(expect.arrayContaining(['Query', 'Mutation', 'AskInput']));
  });

  it('still hides any other unexpected error as an internal one', () => {
    expect(formatGatewayError({ message: 'connect ECONNREFUSED 10.0.0.7:5432', extensions: { code: 'SOMETHING_ELSE' } }, new Error('x'))).toEqual({
      message: 'Internal error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

const validation = (message: string) => ({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

describe("the gateway's error messages", () => {
  it.each([
    ['Syntax Error: Query Cost limit of 5000 exceeded, found 1287500.', 'Query Cost limit of 5000 exceeded, found 1287500.'],
    ['Syntax Error: Aliases limit of 30 exceeded, found 31.', 'Aliases limit of 30 exceeded, found 31.'],
    ['Syntax Error: Query depth limit of 10 exceeded, found 12.', 'Query depth limit of 10 exceeded, found 12.'],
    ['Syntax Error: Directives limit of 50 exceeded, found 51.', 'Directives limit of 50 exceeded, found 51.'],
    ['Syntax Error: Token limit of 2000 exceeded.', 'Token limit of 2000 exceeded.'],
  ])('call a limit graphql-armor enforces by its name, not a syntax error: %s', (armor, plain) => {
    expect(formatGatewayError(validation(armor), new Error(armor))).toMatchObject({ message: plain, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('leave a real syntax error named as one', () => {
    const parse = { message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
    expect(formatGatewayError(parse, new Error(parse.message)).message).toBe('Syntax Error: Expected Name, found <EOF>.');
  });
});
