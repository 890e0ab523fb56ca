/**
 * Typed domain errors and their single mapping to GraphQL errors.
 * Services throw DomainError; the server's formatError turns anything else into an opaque INTERNAL error
 * so internals never reach clients.
 */
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';

export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  NotFound = 'NOT_FOUND',
  Forbidden = 'FORBIDDEN',
  Unauthenticated = 'UNAUTHENTICATED',
  Conflict = 'CONFLICT',
  RateLimited = 'RATE_LIMITED',
  Unavailable = 'UNAVAILABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BadUserInput, message, details);
export const notFound = (what: string, id: string) => new DomainError(ErrorCode.NotFound, `${what} ${id} was not found`);
export const forbidden = (message: string) => new DomainError(ErrorCode.Forbidden, message);
export const unauthenticated = (message: string) => new DomainError(ErrorCode.Unauthenticated, message);
export const conflict = (message: string) => new DomainError(ErrorCode.Conflict, message);
export const unavailable = (message: string) => new DomainError(ErrorCode.Unavailable, message);

/** HTTP status that goes with a code when the error ends a request before execution (auth, limits). */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BadUserInput:
      return 400;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Conflict:
      return 409;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Unavailable:
      return 503;
    case ErrorCode.PayloadTooLarge:
      return 413;
    default: {
      const unknownCode: never = code;
      throw new Error(`unmapped error code ${String(unknownCode)}`);
    }
  }
}

/**
 * SQLSTATEs Postgres raises for text it cannot store (a NUL character, an unsupported \u escape in jsonb):
 * the caller's input, not our fault. The edges refuse such text first; this catches whatever gets past them.
 */
const UNSTORABLE_TEXT_SQLSTATES = new Set(['22021', '22P05']);

/**
 * The database is out of reach, not the request at fault: SQLSTATE class 08 (connection exception), 57P01-57P03
 * (the server is shutting down or starting), and the socket errors and pool messages of node-postgres.
 */
const OUTAGE_SQLSTATES = /^(08...|57P0[123])$/;
const OUTAGE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
// TypeORM releases a transaction's query runner when its connection breaks; the transaction's next query then
// fails with "…already released…" (QueryRunnerProviderAlreadyReleasedError): nothing was committed, retry it.
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly|the database system is (starting up|shutting down|in recovery mode)|Database connection provided by a query runner was already released/i;

export function isDatabaseOutage(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | undefined)?.driverError, (error as { cause?: unknown } | undefined)?.cause];
  return candidates.some((candidate) => {
    if (!candidate || typeof candidate !== 'object') return false;
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string' && (OUTAGE_SQLSTATES.test(code) || OUTAGE_SOCKET_CODES.has(code))) return true;
    const message = (candidate as { message?: unknown }).message;
    return typeof message === 'string' && OUTAGE_MESSAGES.test(message);
  });
}

/**
 * A domain error as is; a Postgres refusal of unstorable text as BAD_USER_INPUT; a lost database connection as
 * UNAVAILABLE (retry it); anything else undefined.
 */
function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const sqlState = (error as { driverError?: { code?: unknown } } | undefined)?.driverError?.code ?? (error as { code?: unknown } | undefined)?.code;
  if (typeof sqlState === 'string' && UNSTORABLE_TEXT_SQLSTATES.has(sqlState)) {
    return badInput('The input contains a character that cannot be stored (such as a NUL character, U+0000); remove it and retry');
  }
  if (isDatabaseOutage(error)) return unavailable('The service cannot reach its database right now; retry in a moment');
  return undefined;
}

export function toGraphQLError(error: DomainError, withHttpStatus = false): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...(error.details ? { details: error.details } : {}),
      ...(withHttpStatus ? { http: { status: httpStatusOf(error.code) } } : {}),
    },
  });
}

const PASSTHROUGH_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server formatError: domain errors keep their code and message; GraphQL's own validation errors pass;
 * type-graphql's argument validation becomes BAD_USER_INPUT; everything else is masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrap(error);
  const domainError = asDomainError(original);
  if (domainError) {
    return { ...formatted, message: domainError.message, extensions: { code: domainError.code, ...(domainError.details ? { details: domainError.details } : {}) } };
  }
  if (original instanceof ArgumentValidationError) {
    const failures = flattenValidation(original.extensions.validationErrors ?? []);
    return { message: `Input is not valid: ${failures.flatMap((f) => f.problems).join('; ')}`, path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.BadUserInput, failures } };
  }
  const code = String(formatted.extensions?.code ?? '');
  if (PASSTHROUGH_CODES.has(code)) return formatted;
  return { message: 'Internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/** class-validator's tree, reduced to field paths and messages (never the submitted values). */
function flattenValidation(errors: readonly ValidationFailure[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidation(error.children ?? [], field)];
  });
}

function unwrap(error: unknown): unknown {
  let current = error as { originalError?: unknown } | undefined;
  while (current && current.originalError && current.originalError !== current) current = current.originalError as typeof current;
  return current;
}
