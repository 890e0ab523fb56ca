/**
 * Which operations spend a rate-limit budget: the root mutation fields a customer-facing front-end sends
 * (the conversation subgraph's `ask` and the customer signals). Counted per field occurrence, so aliases and
 * fragments cannot pack ten questions into one request for the price of one.
 */
import { DocumentNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';

export type LimitedKind = 'asks' | 'signals';

const LIMITED_FIELDS: Readonly<Record<string, LimitedKind>> = {
  ask: 'asks',
  rateAnswer: 'signals',
  markResolved: 'signals',
  requestHuman: 'signals',
  rateConversation: 'signals',
};

export type LimitedCounts = Record<LimitedKind, number>;

/**
 * How many limited fields the operation selects at its root, or undefined when none. Fields under @skip or
 * @include count too: the variables are not looked at, so a request pays for what it could run.
 */
export function countLimitedFields(document: DocumentNode, operation: OperationDefinitionNode): LimitedCounts | undefined {
  if (operation.operation !== 'mutation') return undefined;
  const counts: LimitedCounts = { asks: 0, signals: 0 };
  let found = false;
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const kind = LIMITED_FIELDS[selection.name.value];
        if (kind) {
          counts[kind] += 1;
          found = true;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        // Validation has already refused unknown fragments and fragment cycles.
        const fragment = document.definitions.find(
          (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
        );
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return found ? counts : undefined;
}
