/**
 * Refuses an operation whose variables or literal arguments carry text Postgres cannot store (a NUL character, or
 * half of a surrogate pair: services/shared/unstorable-text.ts), once, at the edge: downstream it would fail as an
 * opaque storage or workflow error instead of a clear BAD_USER_INPUT.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ASTNode, BREAK, DocumentNode, Kind, visit } from 'graphql';
import { badInput, toGraphQLError } from '../services/shared/errors';
import { pathToUnstorableText, unstorableCharacter } from '../services/shared/unstorable-text';

const refusal = (where: string, character: string) => toGraphQLError(badInput(`${where} contains ${character}, which is not allowed in any text; remove it and retry`), true);

/** The argument or input field an unstorable string literal belongs to, e.g. `argument "input.text"`, and what is wrong. */
function unstorableLiteral(document: DocumentNode): { where: string; character: string } | undefined {
  let found: { where: string; character: string } | undefined;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      const character = unstorableCharacter(node.value);
      if (!character) return undefined;
      // `ancestors` stops short of the parent, which is the ObjectField or Argument holding the value.
      const names = [...ancestors, parent]
        .filter((ancestor): ancestor is ASTNode => ancestor !== undefined && !Array.isArray(ancestor))
        .flatMap((ancestor) => (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD ? [ancestor.name.value] : []));
      found = { where: names.length > 0 ? `Argument "${names.join('.')}"` : 'A string in the query', character };
      return BREAK;
    },
  });
  return found;
}

export function refuseUnstorableTextPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const variable = pathToUnstorableText(request.variables ?? {});
          if (variable !== undefined) throw refusal(`Variable "$${variable.path}"`, variable.character);
          const literal = unstorableLiteral(document);
          if (literal !== undefined) throw refusal(literal.where, literal.character);
        },
      };
    },
  };
}
