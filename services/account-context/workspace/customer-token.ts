/**
 * End-customer tokens: HS256 JWTs a workspace signs for its signed-in customers. Besides the signature, the
 * lifetime is bounded so that a leaked token cannot be used for years: `iat` is required and may not be in
 * the future, `exp - iat` may not exceed the maximum lifetime, and a token older than that lifetime is
 * refused even if its `exp` says otherwise. Each refusal says which rule failed.
 */
import { errors, jwtVerify } from 'jose';
import { unauthenticated } from '../../shared/errors';
import { unstorableCharacter } from '../../shared/unstorable-text';
import { MAX_CUSTOMER_EXTERNAL_ID } from '../customer/customer.types';

export interface CustomerTokenRules {
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
}

const SHAPE = 'an HS256 JWT with sub, iat and exp, signed with the workspace secret';

function refusal(error: unknown, rules: CustomerTokenRules): string {
  const max = `${rules.maxLifetimeSeconds} seconds`;
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? `The customer token was issued more than ${max} ago; issue a new one` : 'The customer token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iat' && error.reason === 'missing') return `The customer token has no iat claim; it must be ${SHAPE}`;
    if (error.claim === 'iat' && error.reason === 'check_failed') return 'The customer token has an iat claim in the future; check the issuing clock';
    if (error.reason === 'missing') return `The customer token has no ${error.claim} claim; it must be ${SHAPE}`;
  }
  return `The customer token does not verify: it must be ${SHAPE}`;
}

export interface VerifiedCustomer {
  /** The token's sub. */
  customerId: string;
  /** The instant this verification stops holding (its exp, or its iat plus the maximum lifetime, with the clock skew allowed): a cached verdict must not outlive it. */
  validUntil: Date;
}

/** The verified customer (the token's sub, and until when); UNAUTHENTICATED otherwise. */
export async function verifyCustomerToken(token: string, secret: string, rules: CustomerTokenRules): Promise<VerifiedCustomer> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, Buffer.from(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
      maxTokenAge: rules.maxLifetimeSeconds,
      clockTolerance: rules.clockSkewSeconds,
    }));
  } catch (error) {
    throw unauthenticated(refusal(error, rules));
  }
  const lifetime = payload.exp! - payload.iat!;
  if (lifetime > rules.maxLifetimeSeconds) {
    throw unauthenticated(`The customer token lives ${lifetime} seconds (exp - iat); at most ${rules.maxLifetimeSeconds} seconds are allowed`);
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated(`The customer token's sub must be the customer's id; it must be ${SHAPE}`);
  // Refused here, where the caller learns it is the token, not later as a field the caller never sent.
  if (payload.sub.length > MAX_CUSTOMER_EXTERNAL_ID) {
    throw unauthenticated(`The customer token's sub is ${payload.sub.length} characters long; a customer's id may be at most ${MAX_CUSTOMER_EXTERNAL_ID}`);
  }
  const unstorable = unstorableCharacter(payload.sub);
  if (unstorable) throw unauthenticated(`The customer token's sub contains ${unstorable}, which no customer id may hold`);
  const lastSecond = Math.min(payload.exp!, payload.iat! + rules.maxLifetimeSeconds) + rules.clockSkewSeconds;
  return { customerId: payload.sub, validUntil: new Date(lastSecond * 1000) };
}
