/**
 * Webhook signatures, Stripe-style: `x-loopdesk-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the workspace's secret for the provider. The timestamp bounds how long a captured request can be
 * replayed; the delivery record (see WebhookService) refuses replays inside that window.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../../shared/errors';

export const WORKSPACE_HEADER = 'x-loopdesk-workspace';
export const SIGNATURE_HEADER = 'x-loopdesk-signature';
export const DELIVERY_HEADER = 'x-loopdesk-delivery';

/** How far the signed timestamp may be from the server's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface VerifiedSignature {
  timestamp: number;
  /** SHA-256 of what was signed: identifies the request however it is re-labelled. */
  signedDigest: string;
}

const signedPayload = (timestamp: number, body: Buffer | string) =>
  Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);

const hmac = (secret: string, payload: Buffer) => createHmac('sha256', secret).update(payload).digest();

/** What a sender computes; the tests and integration docs use it too. */
export function signWebhook(secret: string, body: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, signedPayload(timestamp, body)).toString('hex')}`;
}

/** Several v1 entries are allowed so that a sender can sign with an old and a new secret while rotating. */
function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return null;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0 || signatures.length > 5) return null;
  return { timestamp, signatures };
}

/**
 * Throws UNAUTHENTICATED unless the header is well formed, its timestamp is within the tolerance and one of
 * its v1 signatures matches one of the secrets (compared in constant time).
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: Buffer,
  secrets: readonly string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifiedSignature {
  const parsed = header ? parseHeader(header) : null;
  if (!parsed) throw unauthenticated(`The ${SIGNATURE_HEADER} header must be "t=<unix seconds>,v1=<hex HMAC-SHA256 of \\"<t>.<raw body>\\">"`);
  if (Math.abs(nowSeconds - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    throw unauthenticated(`The signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from the server's clock; sign each delivery when sending it`);
  }
  const payload = signedPayload(parsed.timestamp, body);
  const valid = secrets.some((secret) => {
    const expected = hmac(secret, payload);
    return parsed.signatures.some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  });
  if (!valid) throw unauthenticated("The signature does not verify with the workspace's webhook secret for this provider");
  return { timestamp: parsed.timestamp, signedDigest: createHash('sha256').update(payload).digest('hex') };
}
