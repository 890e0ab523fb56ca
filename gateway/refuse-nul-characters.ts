/**
 * Refuses an operation whose variables or literal arguments carry a NUL character (U+0000), once, at the
 * edge: downstream it would fail as an opaque storage or workflow error instead of a clear BAD_USER_INPUT.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, BREAK, DocumentNode, Kind, visit } from 'graphql';
import { badInput, toGraphQLError } from '../services/shared/errors';
import { pathToNulCharacter } from '../services/shared/nul-characters';

const refusal = (where: string) =>
  toGraphQLError(badInput(`${where} contains a NUL character (U+0000), which is not allowed in any text; remove it and retry`), true);

/** The argument or input field a string literal holding a NUL belongs to, e.g. `argument "input.text"`. */
function literalWithNulCharacter(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes('\u0000')) return undefined;
      // `ancestors` stops short of the parent, which is the ObjectField or Argument holding the value.
      const names = [...ancestors, parent]
        .filter((ancestor): ancestor is ASTNode => ancestor !== undefined && !Array.isArray(ancestor))
        .flatMap((ancestor) => (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD ? [ancestor.name.value] : []));
      found = names.length > 0 ? `Argument "${names.join('.')}"` : 'A string in the query';
      return BREAK;
    },
  });
  return found;
}

export function refuseNulCharactersPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const variable = pathToNulCharacter(request.variables ?? {});
          if (variable !== undefined) throw refusal(`Variable "$${variable}"`);
          const literal = literalWithNulCharacter(document);
          if (literal !== undefined) throw refusal(literal);
        },
      };
    },
  };
}
