import { SIGNATURE_TOLERANCE_SECONDS, signWebhook, verifyWebhookSignature } from '../../services/account-context/webhook/webhook-signature';
import { DomainError, ErrorCode } from '../../services/shared/errors';
import { rejection } from '../helpers/rejection';

const secret = 'whsec_test-secret';
const body = Buffer.from('{"type":"customer.subscription.updated"}');
const now = 1_772_000_000;

describe('webhook signatures', () => {
  it('verifies a body signed with the secret at the current time', () => {
    const sut = verifyWebhookSignature(signWebhook(secret, body, now), body, [secret], now);
    expect(sut.timestamp).toBe(now);
    expect(sut.signedDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts any of the secrets (the previous one during a rotation) and any of several v1 entries', () => {
    const oldSignature = signWebhook('whsec_old', body, now).split(',')[1];
    const header = `t=${now},v1=${'0'.repeat(64)},${oldSignature}`;
    expect(verifyWebhookSignature(header, body, [secret, 'whsec_old'], now).timestamp).toBe(now);
  });

  it('gives the same digest for the same signed content, whichever secret signed it', () => {
    const a = verifyWebhookSignature(signWebhook(secret, body, now), body, [secret], now);
    const b = verifyWebhookSignature(signWebhook('whsec_old', body, now), body, ['whsec_old'], now);
    expect(a.signedDigest).toBe(b.signedDigest);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'sha256=abc'],
    ['without a timestamp', `v1=${'a'.repeat(64)}`],
    ['signed with another secret', signWebhook('whsec_other', body, now)],
    ['signed over another body', signWebhook(secret, '{"type":"other"}', now)],
  ])('refuses a %s signature as UNAUTHENTICATED', (_case, header) => {
    const error = rejection(() => verifyWebhookSignature(header, body, [secret], now));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses a timestamp more than five minutes off, either way', () => {
    for (const skew of [SIGNATURE_TOLERANCE_SECONDS + 1, -(SIGNATURE_TOLERANCE_SECONDS + 1)]) {
      const error = rejection(() => verifyWebhookSignature(signWebhook(secret, body, now - skew), body, [secret], now));
      expect(error.code).toBe(ErrorCode.Unauthenticated);
      expect(error.message).toMatch(/5 minutes/);
    }
    expect(verifyWebhookSignature(signWebhook(secret, body, now - SIGNATURE_TOLERANCE_SECONDS), body, [secret], now).timestamp).toBe(now - 300);
  });

  it('refuses everything when the workspace has no secret', () => {
    expect(rejection(() => verifyWebhookSignature(signWebhook(secret, body, now), body, [], now)).code).toBe(ErrorCode.Unauthenticated);
  });
});
