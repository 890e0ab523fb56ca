import { OperationDefinitionNode, parse } from 'graphql';
import type { Caller } from '../../gateway/authenticator';
import { loadGatewayConfig } from '../../gateway/config';
import { countLimitedFields } from '../../gateway/limited-operations';
import { RateLimiter, rateLimitBudgets, visitorNetwork } from '../../gateway/rate-limiter';
import { TokenBuckets } from '../../gateway/token-buckets';

const SECRET = 'a-test-secret-that-is-long-enough-000';
const WORKSPACE = '6f1c1f0e-8d0a-4a44-9f55-0d6f0a1b2c3d';
const OTHER_WORKSPACE = '0b6e8d5c-4b1f-4f9e-9a43-5d1c2e3f4a5b';

function counts(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')!;
  return countLimitedFields(document, operation);
}

describe('which operations spend a budget', () => {
  it('counts ask as an ask and the four customer signals as signals', () => {
    expect(counts('mutation { ask(input: { text: "hi" }) { message { id } } }')).toEqual({ asks: 1, signals: 0 });
    expect(counts('mutation { rateAnswer(input: {}) { id } markResolved(input: {}) { id } requestHuman(input: {}) { id } }')).toEqual({ asks: 0, signals: 3 });
    expect(counts('mutation { rateConversation(input: {}) { id } }')).toEqual({ asks: 0, signals: 1 });
  });

  it('counts every aliased copy, and fields reached through named and inline fragments', () => {
    const query = `mutation {
      a: ask(input: { text: "1" }) { message { id } }
      b: ask(input: { text: "2" }) { message { id } }
      ... on Mutation { c: ask(input: { text: "3" }) { message { id } } }
      ...More
    }
    fragment More on Mutation { d: ask(input: { text: "4" }) { message { id } } rateAnswer(input: {}) { id } }`;
    expect(counts(query)).toEqual({ asks: 4, signals: 1 });
  });

  it('leaves queries and the other mutations (agents, admins) alone', () => {
    expect(counts('{ conversation(id: "x") { id } }')).toBeUndefined();
    expect(counts('query { ask }')).toBeUndefined();
    expect(counts('mutation { replyToConversation(input: {}) { id } correctAnswer(input: {}) { learnedAnswer { id } } }')).toBeUndefined();
  });

  it('ignores a limited name below the root', () => {
    expect(counts('mutation { createArticle(input: {}) { ask { id } } }')).toBeUndefined();
  });
});

describe('the rate limiter', () => {
  const tiny = loadGatewayConfig({
    INTERNAL_HMAC_SECRET: SECRET,
    RATE_LIMIT_WINDOW_MS: '10000',
    RATE_LIMIT_VISITOR_ASKS: '1',
    RATE_LIMIT_VISITOR_ASKS_BURST: '2',
    RATE_LIMIT_VISITOR_SIGNALS: '1',
    RATE_LIMIT_VISITOR_SIGNALS_BURST: '1',
    RATE_LIMIT_CUSTOMER_ASKS: '1',
    RATE_LIMIT_CUSTOMER_ASKS_BURST: '1',
    RATE_LIMIT_KEY_ASKS: '1',
    RATE_LIMIT_KEY_ASKS_BURST: '4',
  });
  const visitor: Caller = { workspaceId: WORKSPACE, role: 'widget', subject: 'key:k1' };
  const customer = (customerId: string, workspaceId = WORKSPACE): Caller => ({ workspaceId, role: 'widget', subject: `customer:${customerId}`, customerId });
  const oneAsk = { asks: 1, signals: 0 };
  const oneSignal = { asks: 0, signals: 1 };
  let now = 0;
  const limiter = () => {
    now = 0;
    return new RateLimiter(rateLimitBudgets(tiny), new TokenBuckets(1000, () => now));
  };

  it('limits an anonymous visitor by address, and tells when the next ask fits', () => {
    const sut = limiter();
    const client = { apiKey: 'ldk_widget_a', address: '203.0.113.7' };
    expect(sut.admit(visitor, client, oneAsk)).toEqual({ admitted: true });
    expect(sut.admit(visitor, client, oneAsk)).toEqual({ admitted: true });
    expect(sut.admit(visitor, client, oneAsk)).toEqual({ admitted: false, scope: 'visitor', kind: 'asks', retryAfterMs: 10000 });
    expect(sut.admit(visitor, { ...client, address: '203.0.113.8' }, oneAsk)).toEqual({ admitted: true });
    now += 10000;
    expect(sut.admit(visitor, client, oneAsk)).toEqual({ admitted: true });
  });

  it('keeps the budgets for asks and for signals apart', () => {
    const sut = limiter();
    const client = { apiKey: 'ldk_widget_a', address: '203.0.113.7' };
    sut.admit(visitor, client, oneAsk);
    sut.admit(visitor, client, oneAsk);
    expect(sut.admit(visitor, client, oneSignal)).toEqual({ admitted: true });
    expect(sut.admit(visitor, client, oneSignal)).toMatchObject({ admitted: false, scope: 'visitor', kind: 'signals' });
  });

  it('limits a signed-in customer by workspace and customer id, wherever they connect from', () => {
    const sut = limiter();
    expect(sut.admit(customer('cust-1'), { apiKey: 'ldk_widget_a', address: '203.0.113.7' }, oneAsk)).toEqual({ admitted: true });
    expect(sut.admit(customer('cust-1'), { apiKey: 'ldk_widget_a', address: '198.51.100.1' }, oneAsk)).toMatchObject({ admitted: false, scope: 'customer', kind: 'asks' });
    expect(sut.admit(customer('cust-2'), { apiKey: 'ldk_widget_a', address: '203.0.113.7' }, oneAsk)).toEqual({ admitted: true });
    expect(sut.admit(customer('cust-1', OTHER_WORKSPACE), { apiKey: 'ldk_widget_b', address: '203.0.113.7' }, oneAsk)).toEqual({ admitted: true });
  });

  it('counts a visitor per workspace, so one widget does not spend another company\'s budget', () => {
    const sut = limiter();
    const client = { apiKey: 'ldk_widget_a', address: '203.0.113.7' };
    sut.admit(visitor, client, oneAsk);
    sut.admit(visitor, client, oneAsk);
    expect(sut.admit({ ...visitor, workspaceId: OTHER_WORKSPACE }, { apiKey: 'ldk_widget_b', address: '203.0.113.7' }, oneAsk)).toEqual({ admitted: true });
  });

  it('caps all the traffic of one API key, across visitors and customers', () => {
    const sut = limiter();
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) expect(sut.admit(visitor, { apiKey: 'ldk_widget_a', address }, oneAsk)).toEqual({ admitted: true });
    expect(sut.admit(customer('cust-9'), { apiKey: 'ldk_widget_a', address: '10.0.0.5' }, oneAsk)).toMatchObject({ admitted: false, scope: 'key', kind: 'asks' });
    expect(sut.admit(visitor, { apiKey: 'ldk_widget_other', address: '10.0.0.6' }, oneAsk)).toEqual({ admitted: true });
  });

  it('refuses a request carrying more asks than a burst, which no wait would admit', () => {
    const sut = limiter();
    expect(sut.admit(visitor, { apiKey: 'ldk_widget_a', address: '203.0.113.7' }, { asks: 3, signals: 0 })).toEqual({
      admitted: false,
      scope: 'visitor',
      kind: 'asks',
      tooLarge: { count: 3, burst: 2 },
    });
  });

  it('counts IPv6 visitors by /64 network and IPv4-mapped addresses as IPv4', () => {
    expect(visitorNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(visitorNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(visitorNetwork('2001:0db8::5')).toBe('2001:db8:0:0::/64');
    expect(visitorNetwork('::1')).toBe('0:0:0:0::/64');
    expect(visitorNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(visitorNetwork('64:ff9b:1:2::192.0.2.1')).toBe('64:ff9b:1:2::/64');
    expect(visitorNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(visitorNetwork('203.0.113.7')).toBe('203.0.113.7');
    const sut = limiter();
    const ask = (address: string) => sut.admit(visitor, { apiKey: 'ldk_widget_a', address }, oneAsk);
    ask('2001:db8:1:2::1');
    ask('2001:db8:1:2::2');
    expect(ask('2001:db8:1:2::3')).toMatchObject({ admitted: false, scope: 'visitor' });
    expect(ask('2001:db8:1:3::1')).toEqual({ admitted: true });
  });
});

describe('rate limit configuration', () => {
  it('defaults to limits sized for one widget: 10 asks a minute per visitor in bursts of 5, far more per key', () => {
    const config = loadGatewayConfig({ INTERNAL_HMAC_SECRET: SECRET });
    const sut = rateLimitBudgets(config);
    expect(config.RATE_LIMITS_ENABLED).toBe(true);
    expect(config.TRUSTED_PROXY_HOPS).toBe(0);
    expect(sut.visitor.asks).toEqual({ name: 'visitor asks', burst: 5, refillPerMs: 10 / 60_000 });
    expect(sut.customer.asks.burst).toBe(10);
    expect(sut.key.asks.refillPerMs * 60_000).toBe(600);
    expect(sut.key.signals.refillPerMs).toBeGreaterThan(sut.key.asks.refillPerMs);
  });

  it('refuses a zero budget or a fractional burst at start-up', () => {
    expect(() => loadGatewayConfig({ INTERNAL_HMAC_SECRET: SECRET, RATE_LIMIT_VISITOR_ASKS: '0' })).toThrow(/RATE_LIMIT_VISITOR_ASKS/);
    expect(() => loadGatewayConfig({ INTERNAL_HMAC_SECRET: SECRET, RATE_LIMIT_KEY_ASKS_BURST: '1.5' })).toThrow(/RATE_LIMIT_KEY_ASKS_BURST/);
  });
});
