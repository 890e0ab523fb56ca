/**
 * Who may see the schema: introspection (`__schema`, `__type`) and the "Did you mean …?" hints in error
 * messages are for admin keys, or for every caller when GATEWAY_INTROSPECTION is on (local development).
 * Apollo's own `introspection` switch is global, so this is a plugin: the caller is known before validation
 * (the context is built first), and an operation is refused once it is resolved, before anything executes.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, DocumentNode, visit } from 'graphql';
import { forbidden, toGraphQLError } from '../services/shared/errors';
import type { GatewayContext } from './signed-context-data-source';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
// graphql-js appends its hints as a last sentence: ' Did you mean "a", "b", or "c"?', ' Did you mean the enum value "X"?'.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (!INTROSPECTION_FIELDS.has(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

export function schemaVisibilityPlugin(openToEveryone: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const seesSchema = openToEveryone || contextValue.caller?.role === 'admin';
      if (seesSchema) return undefined;
      return {
        async didResolveOperation({ document }) {
          if (usesIntrospection(document)) throw toGraphQLError(forbidden('Introspection is open to admin keys only: read the schema with an admin key'), true);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
}
