/**
 * The request context the gateway forwards to subgraphs, signed with the internal HMAC secret so that a
 * subgraph can trust it, and the AsyncLocalStorage that carries the correlation id through a process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from './errors';

export const ROLES = ['widget', 'agent', 'analyst', 'admin', 'operator', 'system'] as const;
export type Role = (typeof ROLES)[number];

export interface RequestContext {
  workspaceId: string;
  role: Role;
  /** Who acts: an API key id, an end-customer id (widget with a verified token) or a service name. */
  subject: string;
  /** Verified end-customer external id, when a widget request carried a customer token. */
  customerId?: string;
  /** Analysts only: their workspace lets analysts read personal data (see services/shared/personal-data.ts). */
  personalData?: boolean;
  requestId: string;
  /** Milliseconds since the epoch; bounds how long a captured header can be replayed. */
  issuedAt: number;
}

export const CONTEXT_HEADER = 'x-loopdesk-context';
export const REQUEST_ID_HEADER = 'x-request-id';
/** The workspace id the system role uses when it acts on no workspace in particular. */
export const SYSTEM_WORKSPACE = '00000000-0000-0000-0000-000000000000';

const DEFAULT_MAX_AGE_MS = 5 * 60_000;

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signContext(context: Omit<RequestContext, 'issuedAt'> & { issuedAt?: number }, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ ...context, issuedAt: context.issuedAt ?? Date.now() })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** Accepts the current secret and, during a rotation, the previous one. */
export function verifyContext(header: string | undefined, secrets: readonly string[], maxAgeMs = DEFAULT_MAX_AGE_MS): RequestContext {
  if (!header) throw unauthenticated('This endpoint is internal: requests must come through the gateway');
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) throw unauthenticated('The request context header is malformed');
  const given = Buffer.from(signature);
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(mac(payload, secret));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) throw unauthenticated('The request context signature does not verify');
  let parsed: RequestContext;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RequestContext;
  } catch {
    throw unauthenticated('The request context header is malformed');
  }
  if (!ROLES.includes(parsed.role) || typeof parsed.workspaceId !== 'string' || typeof parsed.requestId !== 'string') {
    throw unauthenticated('The request context is incomplete');
  }
  if (typeof parsed.issuedAt !== 'number' || Math.abs(Date.now() - parsed.issuedAt) > maxAgeMs) {
    throw unauthenticated('The request context has expired');
  }
  return parsed;
}

interface Correlation {
  requestId: string;
}

export const correlation = new AsyncLocalStorage<Correlation>();

export function currentRequestId(): string | undefined {
  return correlation.getStore()?.requestId;
}

export function newRequestId(): string {
  return randomUUID();
}
