/**
 * The secret that binds an anonymous visitor's conversation to whoever started it. It is returned once, by the
 * ask that starts the conversation, and stored only as its SHA-256: a database read gives nobody the secret.
 * 32 random bytes need no slow hash: there is nothing to guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ConversationSecret {
  secret: string;
  hash: Buffer;
}

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

export function newConversationSecret(): ConversationSecret {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashOf(secret) };
}

export function secretOpens(hash: Buffer | null, secret: string | null | undefined): boolean {
  if (!hash || !secret) return false;
  return timingSafeEqual(hash, hashOf(secret));
}
