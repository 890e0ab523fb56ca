/**
 * How many nodes an operation may ask for at most, counted with its variables. graphql-armor's cost rule multiplies
 * by a page size only when the query writes it as a number in place (`conversations(first: 100)`): a variable
 * (`first: $n`) or a page-size input (`page: { first: 100 }`) counted as 1, so nested pages of 100 passed at a cost
 * of a few hundred and asked the subgraphs for a million nodes.
 *
 * Here every field that takes a page size (a `first`/`last` argument, or an input argument with a `first` field)
 * multiplies what is selected under it by that size, read with the request's variables; omitted, by the size the
 * resolvers use then (DEFAULT_PAGE). Every selected field counts once per node of its parent (aliases each count),
 * so the total follows the size of the response. Past the bound the operation is refused before it is planned.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ArgumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  valueFromAST,
  type GraphQLCompositeType,
} from 'graphql';

/** The page size resolvers use when a paged field is asked without one. */
const DEFAULT_PAGE = 20;
const PAGE_ARGUMENTS = new Set(['first', 'last']);

type Field = GraphQLField<unknown, unknown>;

/** A field's arguments that carry a page size, each direct (`first`) or in an input (`page: { first }`); read once per field. */
const pageArguments = new WeakMap<Field, Array<{ argument: Field['args'][number]; direct: boolean }>>();

function pagingOf(field: Field) {
  let found = pageArguments.get(field);
  if (!found) {
    found = field.args.flatMap((argument) => {
      const input = getNamedType(argument.type);
      const direct = PAGE_ARGUMENTS.has(argument.name);
      const nested = isInputObjectType(input) && Object.keys(input.getFields()).some((name) => PAGE_ARGUMENTS.has(name));
      return direct || nested ? [{ argument, direct }] : [];
    });
    pageArguments.set(field, found);
  }
  return found;
}

/** The page size a field asks for (1 when it takes none). */
function pageSize(field: Field, node: { arguments?: readonly ArgumentNode[] }, variables: Record<string, unknown>): number {
  const paging = pagingOf(field);
  if (paging.length === 0) return 1;
  let size: number | undefined;
  for (const { argument, direct } of paging) {
    const given = node.arguments?.find((a) => a.name.value === argument.name);
    const value = given ? valueFromAST(given.value, argument.type, variables) : undefined;
    const asked = direct ? value : value && typeof value === 'object' ? ((value as Record<string, unknown>).first ?? (value as Record<string, unknown>).last) : undefined;
    if (typeof asked === 'number' && Number.isFinite(asked)) size = Math.max(size ?? 0, asked);
  }
  return Math.max(1, size ?? DEFAULT_PAGE);
}

/** The most nodes the operation can return, with these variables. */
export function listSize(schema: GraphQLSchema, document: { definitions: readonly unknown[] }, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): number {
  const fragments = new Map(
    (document.definitions as Array<{ kind: string }>)
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  let total = 0;
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, seen: ReadonlySet<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) {
          total += multiplier;
          continue;
        }
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const nodes = multiplier * pageSize(field, selection, variables);
        total += nodes;
        const type = getNamedType(field.type);
        if (selection.selectionSet && (isObjectType(type) || isInterfaceType(type) || isUnionType(type))) walk(selection.selectionSet, type, nodes, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        if (type) walk(selection.selectionSet, type, multiplier, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        // Validation refuses fragment cycles; `seen` only guards this walk.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        if (type) walk(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]));
      }
    }
  };
  if (root) walk(operation.selectionSet, root, 1, new Set());
  return total;
}

export function listSizePlugin(maxNodes: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const nodes = listSize(schema, document, operation, request.variables ?? {});
          if (nodes > maxNodes) {
            throw new GraphQLError(`This operation may ask for ${nodes} nodes (page sizes multiplied, variables included); at most ${maxNodes} are allowed: ask for smaller pages`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
