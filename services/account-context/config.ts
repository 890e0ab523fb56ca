/** Account-context's configuration, parsed once at start-up. */
import { z } from 'zod';
import { authRevocationEnv, commonEnv, databaseEnv, parseConfig, portEnv, secretsEnv } from '../shared/config';

export const accountContextEnv = {
  ...commonEnv,
  ...databaseEnv,
  ...portEnv('account-context'),
  ...authRevocationEnv,
  ...secretsEnv,
  /** Longest a customer token may live (exp - iat), and oldest it may be (now - iat). */
  CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
  /** Clock difference tolerated between the workspace's token issuer and this server. */
  CUSTOMER_TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
};

export type AccountContextConfig = ReturnType<typeof loadAccountContextConfig>;

export function loadAccountContextConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(accountContextEnv, env);
}
