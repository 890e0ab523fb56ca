import { customerToken } from '../helpers/graphql';
import { verifyCustomerToken } from '../../services/account-context/workspace/customer-token';

const SECRET = 'a-workspace-customer-token-secret-of-some-length';
const RULES = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };

describe("a customer token's sub", () => {
  it('is the customer id when it is one a customer may have', async () => {
    const id = 'c'.repeat(200);
    await expect(verifyCustomerToken(await customerToken(SECRET, id), SECRET, RULES)).resolves.toMatchObject({ customerId: id });
    await expect(verifyCustomerToken(await customerToken(SECRET, 'cliente-ñ-😀'), SECRET, RULES)).resolves.toMatchObject({ customerId: 'cliente-ñ-😀' });
  });

  it('is refused as UNAUTHENTICATED when longer than a customer id may be, saying so', async () => {
    const refused = verifyCustomerToken(await customerToken(SECRET, 'c'.repeat(5_000)), SECRET, RULES);
    await expect(refused).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: "The customer token's sub is 5000 characters long; a customer's id may be at most 200" });
  });

  it('is refused as UNAUTHENTICATED when it holds text no id may hold', async () => {
    await expect(verifyCustomerToken(await customerToken(SECRET, 'ana\u0000'), SECRET, RULES)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('NUL') });
    await expect(verifyCustomerToken(await customerToken(SECRET, 'ana\ud800'), SECRET, RULES)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('surrogate') });
  });
});
