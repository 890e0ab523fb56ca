import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { listSize } from '../../gateway/list-size-plugin';

const schema = buildSchema(`
  type Query { workspace: Workspace }
  input Page { first: Int, after: String }
  type Workspace { id: ID!, conversations(page: Page): Connection!, tags: [String!]! }
  type Connection { edges: [Edge!]! }
  type Edge { node: Conversation! }
  type Conversation { id: ID!, customer: Customer, messages: [Message!]! }
  type Customer { id: ID!, conversations(first: Int, after: String): Connection! }
  type Message { id: ID! }
`);

const sizeOf = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return listSize(schema, document, document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode, variables);
};

describe('the most nodes an operation may return', () => {
  test('page sizes multiply what is selected under them, whether written in place, as a variable or in an input object', () => {
    // workspace 1, conversations 10, edges 10, node 10, id 10.
    const inPlace = sizeOf('{ workspace { conversations(page: { first: 10 }) { edges { node { id } } } } }');
    expect(inPlace).toBe(1 + 10 + 10 + 10 + 10);
    expect(sizeOf('query($n: Int) { workspace { conversations(page: { first: $n }) { edges { node { id } } } } }', { n: 10 })).toBe(inPlace);
    expect(sizeOf('query($p: Page) { workspace { conversations(page: $p) { edges { node { id } } } } }', { p: { first: 10 } })).toBe(inPlace);
  });

  test('nested pages multiply: a hundred conversations of a hundred customers each is counted as such', () => {
    const nested = 'query($n: Int) { workspace { conversations(page: { first: 100 }) { edges { node { customer { conversations(first: $n) { edges { node { id } } } } } } } } }';
    // 1 + 100 × (conversations, edges, node, customer) + 100 × 100 × (conversations, edges, node, id)
    expect(sizeOf(nested, { n: 100 })).toBe(1 + 4 * 100 + 4 * 100 * 100);
  });

  test('an omitted page size counts as the resolvers default (20); aliases and fragments count each time they select', () => {
    expect(sizeOf('{ workspace { conversations { edges { node { id } } } } }')).toBe(1 + 4 * 20);
    expect(sizeOf('{ a: workspace { id } b: workspace { id } }')).toBe(4);
    expect(sizeOf('{ workspace { ...W } } fragment W on Workspace { conversations(page: { first: 5 }) { edges { node { id } } } }')).toBe(1 + 4 * 5);
  });
});
