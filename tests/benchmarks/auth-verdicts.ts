/**
 * `npm run bench:auth`: what authentication costs a gateway request, with verdicts verified every time
 * (AUTH_CACHE_TTL_MS=0) and cached under the revocation epoch (the default), plus how long revokeApiKey takes
 * (it holds for AUTH_REVOCATION_LEASE_MS so that every gateway has let go of the key when it returns).
 * account-context runs in-process on a throwaway database of the machine's Postgres; the authenticator is the
 * gateway's own class, talking to it over HTTP as a gateway does. Sequential requests: latency, not capacity.
 * Prints the figures and writes tests/benchmarks/results/auth-verdicts.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Authenticator } from '../../gateway/authenticator';
import { loadAccountContextConfig } from '../../services/account-context/config';
import { startAccountContext } from '../../services/account-context/index';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { newKeyEncryptionKey } from '../../services/shared/secret-envelope';
import { createThrowawayDatabase } from '../helpers/database';
import { distribution } from './bench-support';

const VERIFIED_REQUESTS = 1_000;
const CACHED_REQUESTS = 20_000;
const REVOCATIONS = 5;
const LEASE_MS = 1_000;

async function main(): Promise<void> {
  const database = await createThrowawayDatabase('loopdesk_bench');
  const hmacSecret = randomBytes(32).toString('hex');
  const service = await startAccountContext(
    loadAccountContextConfig({
      INTERNAL_HMAC_SECRET: hmacSecret,
      DATABASE_URL: database.url,
      SECRETS_ENCRYPTION_KEYS: newKeyEncryptionKey('bench'),
      AUTH_REVOCATION_LEASE_MS: String(LEASE_MS),
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
    }),
    '127.0.0.1',
  );
  const client = new InternalGraphQLClient(`http://127.0.0.1:${service.port}/graphql`, hmacSecret);
  const verifying = new Authenticator(client, { cacheTtlMs: 0, leaseMs: LEASE_MS });
  const caching = new Authenticator(client, { cacheTtlMs: 30_000, leaseMs: LEASE_MS });
  try {
    const { workspace } = await service.services.workspaces.createWorkspace('Auth benchmark');
    const { secret: widgetKey } = await service.services.workspaces.createApiKey(workspace.id, 'widget', 'bench');
    const time = async (authenticator: Authenticator, n: number) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        await authenticator.authenticate(widgetKey, undefined, 'bench');
        samples.push((performance.now() - started) * 1000);
      }
      return samples;
    };
    await time(verifying, 100);
    const verified = distribution(await time(verifying, VERIFIED_REQUESTS));
    await sleep(LEASE_MS / 2);
    await time(caching, 100);
    const cached = distribution(await time(caching, CACHED_REQUESTS));

    const revocations: number[] = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const { key } = await service.services.workspaces.createApiKey(workspace.id, 'agent', `revoked ${i}`);
      const started = performance.now();
      await service.services.workspaces.revokeApiKey(workspace.id, key.id);
      revocations.push(performance.now() - started);
    }
    const results = {
      setup: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        postgres: 'machine Postgres, throwaway database',
        leaseMs: LEASE_MS,
        epochReadsPerSecondPerGateway: 1000 / Math.floor(LEASE_MS / 4),
      },
      verifiedEveryRequestMicros: verified,
      cachedUnderEpochMicros: cached,
      revokeApiKeyMillis: distribution(revocations),
    };
    console.log(`verified every request (µs): p50 ${verified.p50}, p99 ${verified.p99}, mean ${verified.mean} (n=${verified.n})`);
    console.log(`cached under the epoch (µs): p50 ${cached.p50}, p99 ${cached.p99}, mean ${cached.mean} (n=${cached.n})`);
    console.log(`revokeApiKey (ms): p50 ${results.revokeApiKeyMillis.p50}, max ${results.revokeApiKeyMillis.max} (lease ${LEASE_MS} ms)`);
    const out = path.join('tests', 'benchmarks', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'auth-verdicts.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.join(out, 'auth-verdicts.json')}`);
  } finally {
    await Promise.all([verifying.stop(), caching.stop()]);
    await service.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
