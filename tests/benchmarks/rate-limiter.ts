/**
 * What the gateway's rate limiting costs per request and in memory: `npm run bench:ratelimit [-- --requests 1000000]`.
 * No stack: the same functions the gateway plugin calls (countLimitedFields on the parsed operation, then
 * RateLimiter.admit with the default budgets), in one process.
 *   steady   one widget key, 200 visitors taking turns, budgets large enough that every ask is admitted
 *   refused  one visitor over its budget, so every ask after the burst is refused
 *   flood    every request from a new IPv4 address (the key's budget open), the bucket map at its
 *            RATE_LIMIT_MAX_BUCKETS bound, so sweeps keep the most recently used
 *   query    an agent's inbox read, which only has its operation type looked at
 * Times are CPU time of this process (the machine may be shared), including garbage collection.
 * Writes tests/benchmarks/results/rate-limiter.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocumentNode, OperationDefinitionNode, parse } from 'graphql';
import type { Caller } from '../../gateway/authenticator';
import { loadGatewayConfig } from '../../gateway/config';
import { countLimitedFields } from '../../gateway/limited-operations';
import { ClientIdentity, RateLimiter, rateLimitBudgets } from '../../gateway/rate-limiter';
import { TokenBuckets } from '../../gateway/token-buckets';
import { REPO_ROOT } from '../helpers/repo-root';

const SECRET = 'benchmark-secret-that-is-long-enough-0';
const ASK = 'mutation Ask($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id text } } }';
const INBOX = '{ inbox { edges { node { id status } } } }';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000000' } } });
const requests = Number(values.requests);

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')!;
}

/**
 * CPU ns per request (user + system, so other processes on a shared machine do not count) over `n` calls of
 * `step`, after a warm-up of a tenth as many.
 */
function time(n: number, step: (i: number) => void): number {
  for (let i = 0; i < n / 10; i += 1) step(i);
  const started = process.cpuUsage();
  for (let i = 0; i < n; i += 1) step(i);
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / n;
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const defaults = loadGatewayConfig({ INTERNAL_HMAC_SECRET: SECRET });
const generous = loadGatewayConfig({
  INTERNAL_HMAC_SECRET: SECRET,
  RATE_LIMIT_KEY_ASKS: '1000000000',
  RATE_LIMIT_KEY_ASKS_BURST: '1000000000',
  RATE_LIMIT_VISITOR_ASKS: '1000000000',
  RATE_LIMIT_VISITOR_ASKS_BURST: '1000000000',
});
// The key may take them all, so every visitor's bucket is kept partly drained: the sweep has to pick by age.
const openKey = loadGatewayConfig({ INTERNAL_HMAC_SECRET: SECRET, RATE_LIMIT_KEY_ASKS: '1000000000', RATE_LIMIT_KEY_ASKS_BURST: '1000000000' });
const caller: Caller = { workspaceId: '6f1c1f0e-8d0a-4a44-9f55-0d6f0a1b2c3d', role: 'widget', subject: 'key:bench' };
const apiKey = 'ldk_widget_0123456789abcdefghijklmnopqrstuv';
const askDocument = parse(ASK);
const askOperation = operationOf(askDocument);
const inboxDocument = parse(INBOX);
const inboxOperation = operationOf(inboxDocument);
const ipv4 = (i: number) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

const request = (limiter: RateLimiter, client: ClientIdentity) => {
  const counts = countLimitedFields(askDocument, askOperation);
  if (counts) limiter.admit(caller, client, counts);
};

const visitors = Array.from({ length: 200 }, (_, i) => ({ apiKey, address: ipv4(i) }));
const steadyLimiter = new RateLimiter(rateLimitBudgets(generous), new TokenBuckets(generous.RATE_LIMIT_MAX_BUCKETS));
const steadyNs = time(requests, (i) => request(steadyLimiter, visitors[i % visitors.length]));

const refusedLimiter = new RateLimiter(rateLimitBudgets(defaults), new TokenBuckets(defaults.RATE_LIMIT_MAX_BUCKETS));
const refusedNs = time(requests, () => request(refusedLimiter, visitors[0]));

const heapBefore = heapAfterGc();
const floodBuckets = new TokenBuckets(defaults.RATE_LIMIT_MAX_BUCKETS);
const floodLimiter = new RateLimiter(rateLimitBudgets(openKey), floodBuckets);
const floodNs = time(requests, (i) => request(floodLimiter, { apiKey, address: ipv4(i) }));
const heapFull = heapAfterGc();

const queryNs = time(requests, () => countLimitedFields(inboxDocument, inboxOperation));

const summary = {
  measuredAt: new Date().toISOString(),
  setup: {
    requests,
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    maxBuckets: defaults.RATE_LIMIT_MAX_BUCKETS,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  },
  nsPerRequest: { steady: Math.round(steadyNs), refused: Math.round(refusedNs), flood: Math.round(floodNs), query: Math.round(queryNs) },
  buckets: floodBuckets.size,
  heapMiBAtBound: Math.round(((heapFull - heapBefore) / 2 ** 20) * 10) / 10,
};
console.log(`rate limiter, ${requests} requests per scenario, ${summary.setup.cpu} x${summary.setup.cpus}, Node ${process.version}`);
console.log(`  steady   ${summary.nsPerRequest.steady} ns per ask (200 visitors, all admitted)`);
console.log(`  refused  ${summary.nsPerRequest.refused} ns per ask (one visitor past its budget)`);
console.log(`  flood    ${summary.nsPerRequest.flood} ns per ask (a new address each time, map at its bound of ${summary.setup.maxBuckets})`);
console.log(`  query    ${summary.nsPerRequest.query} ns per inbox read (not limited)`);
console.log(`  memory   ${summary.buckets} buckets, ${summary.heapMiBAtBound} MiB of heap${summary.setup.gcExposed ? '' : ' (run with --expose-gc for a settled figure)'}`);
const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'rate-limiter.json'), `${JSON.stringify(summary, null, 2)}\n`);
