/**
 * Envelope encryption for secrets kept in a database (customer-token and webhook secrets): each value gets
 * its own random data key (AES-256-GCM), and that data key is stored wrapped by a key-encryption key from the
 * environment. Rotation adds a new key-encryption key in front of the list; rewrap() then re-wraps only the
 * small data key, never touching the secret's own ciphertext, and old keys keep decrypting until removed.
 *
 * Stored form: `enc:v1:<kid>:<base64url(iv | wrapped data key | tag)>:<base64url(iv | ciphertext | tag)>`.
 * The caller's `purpose` (table, column, row) is bound as additional data to both layers, so a sealed value
 * copied into another row or column does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

/** Parses `kid:base64key[,kid:base64key…]`; the first key encrypts, every key decrypts. Throws on a bad list. */
export function parseKeyEncryptionKeys(list: string): KeyEncryptionKey[] {
  const keys = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator < 1 || !KEY_ID.test(id)) throw new Error('each key must be "<id>:<base64 key>" with an id of 1-32 letters, digits, "_" or "-"');
      if (key.length !== KEY_BYTES) throw new Error(`key "${id}" must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('at least one key is needed');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

/** A fresh `kid:base64key` entry, for `npm start` and operators. */
export function newKeyEncryptionKey(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES)).setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

export class SecretEnvelope {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly KeyEncryptionKey[]) {
    if (keys.length === 0) throw new Error('SecretEnvelope needs at least one key-encryption key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Every value sealed under the current key starts with this, so a query can skip them. */
  get currentPrefix(): string {
    return `${PREFIX}${this.currentKeyId}:`;
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  encrypt(plaintext: string, purpose: string): string {
    const aad = Buffer.from(purpose);
    const dataKey = randomBytes(KEY_BYTES);
    const body = seal(dataKey, Buffer.from(plaintext, 'utf8'), aad);
    return this.format(this.currentKeyId, seal(this.keys[0]!.key, dataKey, aad), body);
  }

  decrypt(stored: string, purpose: string): string {
    const { keyId, wrapped, body } = this.parse(stored);
    const aad = Buffer.from(purpose);
    return open(this.unwrap(keyId, wrapped, aad), body, aad).toString('utf8');
  }

  /** Whether the value is sealed under the current key (nothing to do for rewrap). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(this.currentPrefix);
  }

  /** Re-wraps the data key under the current key-encryption key; a clear (legacy) value is sealed. */
  rewrap(stored: string, purpose: string): string {
    if (!SecretEnvelope.isSealed(stored)) return this.encrypt(stored, purpose);
    const { keyId, wrapped, body } = this.parse(stored);
    if (keyId === this.currentKeyId) return stored;
    const aad = Buffer.from(purpose);
    const dataKey = this.unwrap(keyId, wrapped, aad);
    // Authenticates the body too, so a damaged value is found now rather than at its next use.
    open(dataKey, body, aad);
    return this.format(this.currentKeyId, seal(this.keys[0]!.key, dataKey, aad), body);
  }

  private unwrap(keyId: string, wrapped: Buffer, aad: Buffer): Buffer {
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`sealed with key "${keyId}", which is not in SECRETS_ENCRYPTION_KEYS`);
    return open(key, wrapped, aad);
  }

  private format(keyId: string, wrapped: Buffer, body: Buffer): string {
    return `${PREFIX}${keyId}:${wrapped.toString('base64url')}:${body.toString('base64url')}`;
  }

  private parse(stored: string): { keyId: string; wrapped: Buffer; body: Buffer } {
    if (!SecretEnvelope.isSealed(stored)) throw new Error('the stored value is not sealed');
    const [keyId, wrapped, body, extra] = stored.slice(PREFIX.length).split(':');
    if (!keyId || !wrapped || !body || extra !== undefined) throw new Error('the sealed value is malformed');
    return { keyId, wrapped: Buffer.from(wrapped, 'base64url'), body: Buffer.from(body, 'base64url') };
  }
}
