/**
 * A small GraphQL client for service-to-service calls over a peer's internal endpoint. It signs the request
 * context it acts under and forwards the correlation id; a peer's typed error comes back as a DomainError.
 */
import { DomainError, ErrorCode, unavailable } from './errors';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, RequestContext, currentRequestId, newRequestId, signContext } from './request-context';

export type CallerContext = Omit<RequestContext, 'issuedAt' | 'requestId'> & { requestId?: string };

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export class InternalGraphQLClient {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown>, caller: CallerContext): Promise<T> {
    const requestId = caller.requestId ?? currentRequestId() ?? newRequestId();
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CONTEXT_HEADER]: signContext({ ...caller, requestId }, this.secret),
          [REQUEST_ID_HEADER]: requestId,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unavailable(`A peer service did not answer (${(error as Error).name})`);
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw unavailable(`A peer service answered with HTTP ${response.status} and no GraphQL body`);
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      if (code && KNOWN_CODES.has(code)) throw new DomainError(code as ErrorCode, first.message);
      throw unavailable('A peer service failed to answer');
    }
    if (!body.data) throw unavailable('A peer service returned no data');
    return body.data;
  }
}
