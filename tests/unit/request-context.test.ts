import { CONTEXT_HEADER, signContext, verifyContext } from '../../services/shared/request-context';
import { DomainError, ErrorCode } from '../../services/shared/errors';
import { rejection } from '../helpers/rejection';

const secret = 'a-test-secret-that-is-long-enough-000';
const context = { workspaceId: '6f1c1f0e-8d0a-4a44-9f55-0d6f0a1b2c3d', role: 'agent' as const, subject: 'key:1', requestId: 'req-1' };

describe('the signed request context', () => {
  it('round-trips a context signed with the current secret', () => {
    const sut = verifyContext(signContext(context, secret), [secret]);
    expect(sut).toMatchObject(context);
  });

  it('accepts the previous secret during a rotation', () => {
    const header = signContext(context, 'the-previous-secret-that-is-long-00000');
    expect(verifyContext(header, [secret, 'the-previous-secret-that-is-long-00000']).subject).toBe('key:1');
  });

  it.each([
    ['missing', undefined],
    ['unsigned', Buffer.from(JSON.stringify({ ...context, issuedAt: Date.now() })).toString('base64url')],
    ['signed with another secret', signContext(context, 'some-other-secret-that-is-long-000000')],
  ])('refuses a %s header as UNAUTHENTICATED', (_case, header) => {
    const error = rejection(() => verifyContext(header, [secret]));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses a header whose payload was changed after signing', () => {
    const [, signature] = signContext(context, secret).split('.');
    const forged = Buffer.from(JSON.stringify({ ...context, role: 'admin', issuedAt: Date.now() })).toString('base64url');
    expect(rejection(() => verifyContext(`${forged}.${signature}`, [secret])).code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses a header older than the replay window', () => {
    const header = signContext({ ...context, issuedAt: Date.now() - 10 * 60_000 }, secret);
    expect(rejection(() => verifyContext(header, [secret])).message).toMatch(/expired/);
  });

  it('names the header it travels in', () => {
    expect(CONTEXT_HEADER).toBe('x-loopdesk-context');
  });
});
