/**
 * Defence in depth behind the edges' NUL refusal: text that Postgres cannot store, sent straight to a subgraph
 * (as the worker or another service might), is BAD_USER_INPUT rather than a masked internal error.
 */
import { useAccountContextHarness } from './account-context-harness';

jest.setTimeout(60_000);

const sut = useAccountContextHarness();

const UPSERT = 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }';

it.each([
  ['a text column', { externalId: 'cust-\u00001' }],
  ['a jsonb column', { externalId: 'cust-2', attributes: { plan: 'pro\u0000' } }],
])('a NUL character that reaches %s is BAD_USER_INPUT, and nothing is written', async (_case, input) => {
  const workspaceId = await sut.createWorkspace();
  const before = await sut.writeCounts(workspaceId);
  const result = await sut.graphql(workspaceId, 'admin', UPSERT, { input });
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.errors?.[0]?.message).toMatch(/NUL character/);
  expect(result.data?.upsertCustomer ?? null).toBeNull();
  expect(await sut.writeCounts(workspaceId)).toEqual(before);
});
