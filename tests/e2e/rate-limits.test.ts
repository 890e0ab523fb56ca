/**
 * Rate limits through the gateway on the real stack, with tiny budgets: each visitor, customer and API key
 * has its own bucket for asks and another for signals; the excess is RATE_LIMITED with HTTP 429 and a
 * Retry-After that holds; agents' work is never limited. One proxy hop is trusted, so X-Forwarded-For stands
 * for the visitor's address as an ingress would set it.
 */
import { GraphQLResult, codeOf, customerToken, dataOf, graphql } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const WINDOW_MS = 2_000;
const VISITOR_BURST = 2;
const KEY_BURST = 8;
const AUTH_FAILURE_BURST = 3;

let env: TestStack;

beforeAll(async () => {
  env = await startTestStack({
    TRUSTED_PROXY_HOPS: '1',
    RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
    RATE_LIMIT_VISITOR_ASKS: '1',
    RATE_LIMIT_VISITOR_ASKS_BURST: String(VISITOR_BURST),
    RATE_LIMIT_VISITOR_SIGNALS: '1',
    RATE_LIMIT_VISITOR_SIGNALS_BURST: '2',
    RATE_LIMIT_CUSTOMER_ASKS: '1',
    RATE_LIMIT_CUSTOMER_ASKS_BURST: '2',
    // One token per 200 s: the key's burst is all a test gets.
    RATE_LIMIT_KEY_ASKS: '0.01',
    RATE_LIMIT_KEY_ASKS_BURST: String(KEY_BURST),
    RATE_LIMIT_VISITOR_AUTH_FAILURES: '1',
    RATE_LIMIT_VISITOR_AUTH_FAILURES_BURST: String(AUTH_FAILURE_BURST),
  });
});

afterAll(async () => {
  await env?.stop();
});

const ASK = 'mutation Ask($input: AskInput!) { ask(input: $input) { conversation { id } message { id } conversationSecret } }';
const RATE = 'mutation Rate($input: RateAnswerInput!) { rateAnswer(input: $input) { id rating } }';

interface Visit {
  address: string;
  token?: string;
  apiKey?: string;
}

const ask = (ws: TestWorkspace, visit: Visit, text = 'Where do I change my billing address?') =>
  graphql(env.gatewayUrl, ASK, { input: { text } }, { apiKey: visit.apiKey ?? ws.keys.widget, customerToken: visit.token, headers: { 'x-forwarded-for': visit.address } });

const rate = (ws: TestWorkspace, visit: Visit, answer: { messageId: string; conversationSecret: string }) =>
  graphql(env.gatewayUrl, RATE, { input: { ...answer, rating: 'UP' } }, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': visit.address } });

/** Sends the requests at once, so no bucket refills between them however slow the machine is. */
const together = (count: number, send: (i: number) => Promise<GraphQLResult>) => Promise.all(Array.from({ length: count }, (_, i) => send(i)));

const limited = (results: GraphQLResult[]) => results.filter((result) => codeOf(result) === 'RATE_LIMITED');
const admitted = (results: GraphQLResult[]) => results.filter((result) => !result.errors);

describe('rate limits on asks and signals', () => {
  it('refuses an anonymous visitor past the burst with RATE_LIMITED, HTTP 429 and Retry-After, and admits the ask after that wait', async () => {
    const ws = await createTestWorkspace(env, 'Limited visitor');
    const visitor = { address: '198.51.100.1' };
    // The last request prepends a made-up address: only the hop the trusted proxy added counts, so it is the same visitor.
    const results = await together(VISITOR_BURST + 1, (i) => ask(ws, { address: i === VISITOR_BURST ? `203.0.113.99, ${visitor.address}` : visitor.address }));
    expect(admitted(results)).toHaveLength(VISITOR_BURST);
    const [refused] = limited(results);
    expect(refused).toBeDefined();
    expect(refused.status).toBe(429);
    expect(refused.data ?? null).toBeNull();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(refused.errors![0].extensions).toEqual({ code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter, scope: 'visitor', kind: 'asks' } });
    expect(refused.errors![0].message).toMatch(/retry after \d+ s/);

    // Another visitor of the same widget is not affected.
    expect(dataOf(await ask(ws, { address: '198.51.100.2' })).ask.message.id).toBeDefined();

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect(dataOf(await ask(ws, visitor)).ask.message.id).toBeDefined();
  });

  it('limits a signed-in customer by identity, wherever they connect from, and no other customer', async () => {
    const ws = await createTestWorkspace(env, 'Limited customer');
    const ana = await customerToken(ws.customerTokenSecret, 'ana');
    const results = await together(3, (i) => ask(ws, { address: `192.0.2.${10 + i}`, token: ana }));
    expect(admitted(results)).toHaveLength(2);
    expect(limited(results).map((result) => result.errors![0].extensions!.details)).toEqual([expect.objectContaining({ scope: 'customer', kind: 'asks' })]);

    const ben = await customerToken(ws.customerTokenSecret, 'ben');
    expect(dataOf(await ask(ws, { address: '192.0.2.10', token: ben })).ask.message.id).toBeDefined();
    // An anonymous visitor at an address Ana used has a budget of their own.
    expect(dataOf(await ask(ws, { address: '192.0.2.10' })).ask.message.id).toBeDefined();
  });

  it('gives signals their own budget: a visitor out of asks can still rate answers, up to the signal limit', async () => {
    const ws = await createTestWorkspace(env, 'Limited signals');
    const answers = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const turn = dataOf(await ask(ws, { address: `198.51.100.${20 + i}` })).ask;
        return { messageId: turn.message.id as string, conversationSecret: turn.conversationSecret as string };
      }),
    );
    const visitor = { address: '198.51.100.30' };
    expect(limited(await together(VISITOR_BURST + 1, () => ask(ws, visitor)))).toHaveLength(1);

    const ratings = await together(3, (i) => rate(ws, visitor, answers[i]));
    expect(admitted(ratings).map((result) => result.data.rateAnswer.rating)).toEqual(['UP', 'UP']);
    expect(limited(ratings).map((result) => [result.status, result.errors![0].extensions!.details])).toEqual([[429, expect.objectContaining({ scope: 'visitor', kind: 'signals' })]]);
  });

  it('caps all asks of one API key across visitors, without touching another key', async () => {
    const ws = await createTestWorkspace(env, 'Limited key');
    const results = await together(KEY_BURST + 1, (i) => ask(ws, { address: `203.0.113.${i + 1}` }));
    expect(admitted(results)).toHaveLength(KEY_BURST);
    expect(limited(results).map((result) => result.errors![0].extensions!.details)).toEqual([expect.objectContaining({ scope: 'key', kind: 'asks' })]);

    const otherKey = dataOf(
      await ws.as('admin', 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { role: 'WIDGET', label: 'second site' } }),
    ).createApiKey.secret;
    expect(dataOf(await ask(ws, { address: '203.0.113.50', apiKey: otherKey })).ask.message.id).toBeDefined();
  });

  it('charges every aliased ask in one request, and refuses more asks in one request than a burst holds', async () => {
    const ws = await createTestWorkspace(env, 'Aliased asks');
    const twoAsks = 'mutation { a: ask(input: { text: "first question" }) { message { id } } b: ask(input: { text: "second question" }) { message { id } } }';
    const visitor = { address: '198.51.100.40' };
    // Whichever comes first, the two together need three tokens from a burst of two.
    const [both, single] = await Promise.all([graphql(env.gatewayUrl, twoAsks, {}, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': visitor.address } }), ask(ws, visitor)]);
    expect([both, single].map(codeOf).sort()).toEqual(['RATE_LIMITED', undefined]);
    if (!both.errors) expect(both.data).toMatchObject({ a: { message: { id: expect.any(String) } }, b: { message: { id: expect.any(String) } } });

    const threeAsks = 'mutation { a: ask(input: { text: "1" }) { message { id } } b: ask(input: { text: "2" }) { message { id } } c: ask(input: { text: "3" }) { message { id } } }';
    const tooMany = await graphql(env.gatewayUrl, threeAsks, {}, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': '198.51.100.41' } });
    expect([tooMany.status, codeOf(tooMany)]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('refuses an address that keeps failing to authenticate, before verifying anything, until a token refills', async () => {
    const ws = await createTestWorkspace(env, 'Failed logins');
    const address = '198.51.100.60';
    const badToken = (i: number) => graphql(env.gatewayUrl, '{ workspace { id } }', {}, { apiKey: ws.keys.widget, customerToken: `made.up.token${i}`, headers: { 'x-forwarded-for': address } });
    const failures = [];
    for (let i = 0; i <= AUTH_FAILURE_BURST; i++) failures.push(codeOf(await badToken(i)));
    expect(failures).toEqual(Array(AUTH_FAILURE_BURST + 1).fill('UNAUTHENTICATED'));
    // The budget is spent: even the right credentials from this address wait.
    const refused = await graphql(env.gatewayUrl, '{ workspace { id } }', {}, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': address } });
    expect([refused.status, codeOf(refused)]).toEqual([429, 'RATE_LIMITED']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect(dataOf(await graphql(env.gatewayUrl, '{ workspace { id } }', {}, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': '198.51.100.61' } })).workspace.id).toBe(ws.id);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect(dataOf(await graphql(env.gatewayUrl, '{ workspace { id } }', {}, { apiKey: ws.keys.widget, headers: { 'x-forwarded-for': address } })).workspace.id).toBe(ws.id);
  });

  it('never limits agents reading the inbox or other operations', async () => {
    const ws = await createTestWorkspace(env, 'Agents unlimited');
    const reads = await together(KEY_BURST + VISITOR_BURST + 2, () => ws.as('agent', '{ inbox { edges { node { id } } } }'));
    expect(reads.map((result) => [result.status, result.errors ?? null])).toEqual(reads.map(() => [200, null]));
  });
});
