/**
 * `npm run operator -- create-key <label>` | `revoke-key <id>` | `create-workspace <name> [time zone]`:
 * the server-side tool for what no workspace may do. It talks to account-context's internal endpoint with
 * the internal HMAC secret, so only someone who holds that secret (someone on the server) can run it:
 * INTERNAL_HMAC_SECRET, else <DATA_DIR>/internal-secret as `npm start` keeps it; ACCOUNT_CONTEXT_URL as the
 * processes use it. An operator key is shown once; send it as a Bearer key to createWorkspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { commonEnv, parseConfig, peerUrlsEnv } from '../../shared/config';
import { InternalGraphQLClient } from '../../shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../shared/request-context';

const USAGE = 'Usage: npm run operator -- create-key <label> | revoke-key <key id> | create-workspace <name> [IANA time zone]';
const OPERATOR = { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'service:operator-cli' } as const;

const operatorEnv = {
  INTERNAL_HMAC_SECRET: commonEnv.INTERNAL_HMAC_SECRET.optional(),
  ACCOUNT_CONTEXT_URL: peerUrlsEnv.ACCOUNT_CONTEXT_URL,
  DATA_DIR: z.string().min(1).default('.data'),
};

function internalSecret(config: { INTERNAL_HMAC_SECRET?: string; DATA_DIR: string }): string {
  if (config.INTERNAL_HMAC_SECRET) return config.INTERNAL_HMAC_SECRET;
  const file = path.join(config.DATA_DIR, 'internal-secret');
  if (!existsSync(file)) throw new Error(`Set INTERNAL_HMAC_SECRET (the one the processes use), or run this where \`npm start\` keeps ${file}`);
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = parseConfig(operatorEnv);
  const accountContext = new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, internalSecret(config));
  switch (command) {
    case 'create-key': {
      if (!args[0]) throw new Error(USAGE);
      const { createOperatorKey } = await accountContext.request<{ createOperatorKey: { id: string; secret: string } }>(
        'mutation($label: String!) { createOperatorKey(label: $label) { id secret } }',
        { label: args.join(' ') },
        OPERATOR,
      );
      console.log(`Operator key ${createOperatorKey.id} (shown once; it creates workspaces, nothing else):\n${createOperatorKey.secret}`);
      return;
    }
    case 'revoke-key': {
      if (!args[0]) throw new Error(USAGE);
      await accountContext.request('mutation($id: ID!) { revokeOperatorKey(id: $id) }', { id: args[0] }, OPERATOR);
      console.log(`Operator key ${args[0]} revoked`);
      return;
    }
    case 'create-workspace': {
      if (!args[0]) throw new Error(USAGE);
      const { createWorkspace: created } = await accountContext.request<{
        createWorkspace: { workspace: { id: string; name: string }; adminKey: string; customerTokenSecret: string };
      }>(
        'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id name } adminKey customerTokenSecret } }',
        { input: { name: args[0], ...(args[1] ? { timeZone: args[1] } : {}) } },
        OPERATOR,
      );
      console.log(`Workspace "${created.workspace.name}" (${created.workspace.id}); its secrets are shown once:`);
      console.log(`  admin key:              ${created.adminKey}`);
      console.log(`  customer token secret:  ${created.customerTokenSecret}`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
