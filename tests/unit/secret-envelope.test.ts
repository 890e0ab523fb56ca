import { SecretEnvelope, newKeyEncryptionKey, parseKeyEncryptionKeys } from '../../services/shared/secret-envelope';

const envelopeOf = (list: string) => new SecretEnvelope(parseKeyEncryptionKeys(list));

describe('SecretEnvelope', () => {
  const old = newKeyEncryptionKey('k0');
  const current = newKeyEncryptionKey('k1');

  it('round-trips a secret, storing neither it nor its data key in clear', () => {
    const sut = envelopeOf(current);
    const stored = sut.encrypt('whsec_very-secret', 'webhook:w1:crm');
    expect(stored).toMatch(/^enc:v1:k1:[\w-]+:[\w-]+$/);
    expect(stored).not.toContain('very-secret');
    expect(sut.decrypt(stored, 'webhook:w1:crm')).toBe('whsec_very-secret');
  });

  it('seals the same secret differently each time (fresh data key and nonces)', () => {
    const sut = envelopeOf(current);
    expect(sut.encrypt('same', 'p')).not.toBe(sut.encrypt('same', 'p'));
  });

  it('refuses a sealed value moved to another row or column (purpose bound as additional data)', () => {
    const sut = envelopeOf(current);
    const stored = sut.encrypt('secret', 'workspaces.customer_token_secret:w1');
    expect(() => sut.decrypt(stored, 'workspaces.customer_token_secret:w2')).toThrow();
  });

  it('refuses a tampered value', () => {
    const sut = envelopeOf(current);
    const stored = sut.encrypt('secret', 'p');
    const body = stored.split(':').at(-1)!;
    const flipped = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    expect(() => sut.decrypt(`${stored.slice(0, stored.length - body.length)}${flipped}`, 'p')).toThrow();
  });

  it('after a rotation, values sealed under the old key still decrypt, and rewrap moves them to the new key without touching the ciphertext', () => {
    const before = envelopeOf(old).encrypt('tok_secret', 'p');
    const sut = envelopeOf(`${current},${old}`);
    expect(sut.decrypt(before, 'p')).toBe('tok_secret');
    expect(sut.isCurrent(before)).toBe(false);
    const rewrapped = sut.rewrap(before, 'p');
    expect(rewrapped).toMatch(/^enc:v1:k1:/);
    expect(rewrapped.split(':').at(-1)).toBe(before.split(':').at(-1));
    expect(sut.isCurrent(rewrapped)).toBe(true);
    expect(envelopeOf(current).decrypt(rewrapped, 'p')).toBe('tok_secret');
  });

  it('rewrap seals a value still stored in clear', () => {
    const sut = envelopeOf(current);
    const sealed = sut.rewrap('legacy-clear-secret', 'p');
    expect(SecretEnvelope.isSealed(sealed)).toBe(true);
    expect(sut.decrypt(sealed, 'p')).toBe('legacy-clear-secret');
  });

  it('names the missing key when a value was sealed under a key that is no longer configured', () => {
    const stored = envelopeOf(old).encrypt('x', 'p');
    expect(() => envelopeOf(current).decrypt(stored, 'p')).toThrow('sealed with key "k0"');
  });

  it.each([
    ['an empty list', '', /at least one key/],
    ['a key without an id', `:${Buffer.alloc(32).toString('base64')}`, /<id>:<base64 key>/],
    ['a short key', `k:${Buffer.alloc(16).toString('base64')}`, /32 random bytes/],
    ['a repeated id', `k:${Buffer.alloc(32).toString('base64')},k:${Buffer.alloc(32, 1).toString('base64')}`, /unique/],
  ])('refuses %s in SECRETS_ENCRYPTION_KEYS', (_case, list, message) => {
    expect(() => parseKeyEncryptionKeys(list)).toThrow(message);
  });
});
