import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode, formatError, httpStatusOf } from '../../services/shared/errors';

describe('mapping errors to GraphQL', () => {
  it('keeps a domain error code and message', () => {
    const original = new DomainError(ErrorCode.NotFound, 'Conversation x was not found');
    const wrapped = new GraphQLError('wrapped', { originalError: original });
    expect(formatError({ message: 'wrapped' }, wrapped)).toEqual({ message: 'Conversation x was not found', extensions: { code: 'NOT_FOUND' } });
  });

  it('masks an unexpected error so internals never leak', () => {
    const wrapped = new GraphQLError('relation "secret_table" does not exist', { originalError: new Error('relation "secret_table" does not exist') });
    const sut = formatError({ message: wrapped.message, extensions: {} }, wrapped);
    expect(sut.message).toBe('Internal error');
    expect(sut.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('gives every code an HTTP status', () => {
    for (const code of Object.values(ErrorCode)) expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
  });
});
