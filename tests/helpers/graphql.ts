/** Sends GraphQL over HTTP the way a front-end would, and keeps the HTTP status for assertions. */
import { SignJWT } from 'jose';

export interface GraphQLResult<T = any> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface Credentials {
  apiKey?: string;
  customerToken?: string;
  headers?: Record<string, string>;
}

export async function graphql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, credentials: Credentials = {}): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(credentials.apiKey ? { authorization: `Bearer ${credentials.apiKey}` } : {}),
      ...(credentials.customerToken ? { 'x-customer-token': credentials.customerToken } : {}),
      ...(credentials.headers ?? {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLResult['errors'] };
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
}

/** The first error's code, or undefined when the request succeeded. */
export const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

/** Throws with the errors when a request that should succeed did not. */
export function dataOf<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL request failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** An end-customer token as a workspace's own back-end would mint it. */
export function customerToken(secret: string, customerExternalId: string, expiresIn = '10m'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(customerExternalId).setIssuedAt().setExpirationTime(expiresIn).sign(Buffer.from(secret));
}
