/**
 * The gateway's schema visibility plugin on a small in-process Apollo Server: who may introspect and who sees
 * "Did you mean" hints, with GATEWAY_INTROSPECTION off (production) and on (local development).
 */
import { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery } from 'graphql';
import { schemaVisibilityPlugin } from '../../gateway/schema-visibility';
import type { GatewayContext } from '../../gateway/signed-context-data-source';
import type { Role } from '../../services/shared/request-context';

const typeDefs = 'type Query { workspace: Workspace } type Workspace { name: String }';
const resolvers = { Query: { workspace: () => ({ name: 'Acme' }) } };

async function serverWith(openToEveryone: boolean) {
  const sut = new ApolloServer<GatewayContext>({ typeDefs, resolvers, introspection: true, plugins: [schemaVisibilityPlugin(openToEveryone)] });
  await sut.start();
  return sut;
}

async function run(sut: ApolloServer<GatewayContext>, role: Role, query: string) {
  const contextValue: GatewayContext = { caller: { workspaceId: 'w', role, subject: 's' }, client: { apiKey: 'k', address: '127.0.0.1' }, requestId: 'r' };
  const response = await sut.executeOperation({ query }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status ?? 200, ...response.body.singleResult };
}

describe('with GATEWAY_INTROSPECTION off', () => {
  let sut: ApolloServer<GatewayContext>;
  beforeAll(async () => {
    sut = await serverWith(false);
  });
  afterAll(async () => {
    await sut.stop();
  });

  it.each(['widget', 'agent', 'analyst'] as const)('refuses introspection to a %s with FORBIDDEN and HTTP 403', async (role) => {
    const result = await run(sut, role, '{ __type(name: "Workspace") { name } }');
    expect({ status: result.status, code: result.errors?.[0]?.extensions?.code, data: result.data ?? null }).toEqual({ status: 403, code: 'FORBIDDEN', data: null });
  });

  it('lets an admin run the standard introspection query', async () => {
    const result = await run(sut, 'admin', getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify(result.data)).toContain('"Workspace"');
  });

  it('cuts suggestions for a widget and keeps them for an admin', async () => {
    const widget = await run(sut, 'widget', '{ workspace { nme } }');
    expect(widget.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Workspace".');
    const admin = await run(sut, 'admin', '{ workspace { nme } }');
    expect(admin.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Workspace". Did you mean "name"?');
  });

  it('runs ordinary queries for every role', async () => {
    expect((await run(sut, 'widget', '{ workspace { name } __typename }')).data).toEqual({ workspace: { name: 'Acme' }, __typename: 'Query' });
  });
});

describe('with GATEWAY_INTROSPECTION on (local development)', () => {
  let sut: ApolloServer<GatewayContext>;
  beforeAll(async () => {
    sut = await serverWith(true);
  });
  afterAll(async () => {
    await sut.stop();
  });

  it('lets every role introspect and see suggestions', async () => {
    expect((await run(sut, 'widget', '{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await run(sut, 'widget', '{ workspace { nme } }')).errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
  });
});
