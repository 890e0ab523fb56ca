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

  it('a lost database connection is UNAVAILABLE, also when it surfaces as a transaction whose connection TypeORM already released', () => {
    for (const lost of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to unexpected postmaster exit'), { code: '57P01' }),
      new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.'),
    ]) {
      const sut = formatError({ message: lost.message, extensions: {} }, new GraphQLError(lost.message, { originalError: lost }));
      expect(sut).toEqual({ message: 'The service cannot reach its database right now; retry in a moment', extensions: { code: 'UNAVAILABLE' } });
    }
  });

  it('gives every code an HTTP status', () => {
    for (const code of Object.values(ErrorCode)) expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
  });
});
