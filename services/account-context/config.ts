/** Account-context's configuration, parsed once at start-up. */
import { commonEnv, databaseEnv, parseConfig, portEnv } from '../shared/config';

export const accountContextEnv = { ...commonEnv, ...databaseEnv, ...portEnv('account-context') };

export type AccountContextConfig = ReturnType<typeof loadAccountContextConfig>;

export function loadAccountContextConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(accountContextEnv, env);
}
