/**
 * The gateway's own error formatting: the shared one, plus the query planner's refusals. graphql-js validates an
 * operation against the API schema first; the planner then rejects, as INVALID_GRAPHQL, what graphql-js accepts
 * but federation does not support (`__Type.isOneOf`, which introspection queries built with `oneOf: true` ask
 * for). That is the caller's operation, not a fault here: it is answered as a validation failure with the
 * planner's message, where the shared formatter would hide it as an internal error. And graphql-armor's limits are
 * not called syntax errors.
 */
import type { GraphQLFormattedError } from 'graphql';
import { formatError } from '../services/shared/errors';

export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code === 'INVALID_GRAPHQL') {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  return formatError(withoutArmorPrefix(formatted), error);
}

/**
 * graphql-armor words every limit it enforces as "Syntax Error: Query Cost limit of 5000 exceeded, found …", though
 * the operation parsed: the caller should look at its size, not its syntax. The prefix goes; a real syntax error keeps it.
 */
const ARMOR_LIMIT = /^Syntax Error: ((?:Query Cost|Aliases|Query depth|Directives|Token) limit of \d+ exceeded)/;

function withoutArmorPrefix(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return ARMOR_LIMIT.test(formatted.message) ? { ...formatted, message: formatted.message.replace(/^Syntax Error: /, '') } : formatted;
}
