import { Registry } from 'prom-client';
import type { AskerContext } from '../../services/conversation/clients/account-context';
import { AskerContextCache } from '../../services/conversation/clients/asker-context-cache';
import { fakeClock } from '../helpers/fake-clock';

const WORKSPACE = '00000000-0000-4000-8000-000000000001';
const OTHER_WORKSPACE = '00000000-0000-4000-8000-000000000002';
const CUSTOMER = '00000000-0000-4000-8000-00000000000a';
const OTHER_CUSTOMER = '00000000-0000-4000-8000-00000000000b';
const TTL_MS = 30_000;

const contextOn = (plan: string): AskerContext => ({ plan, billingState: 'active', signedUpAt: null, segments: [], openBugs: [] });

/** Stands in for account-context: answers with the current plan, counting calls; `hold` keeps the next calls pending. */
function accountContext() {
  const held: Array<{ finish: () => void; fail: (error: Error) => void }> = [];
  const state = { plan: 'team', calls: 0, holding: false };
  const fetch = () => {
    state.calls += 1;
    const plan = state.plan;
    if (!state.holding) return Promise.resolve(contextOn(plan));
    return new Promise<AskerContext>((resolve, reject) => held.push({ finish: () => resolve(contextOn(plan)), fail: reject }));
  };
  return { state, fetch, held };
}

function cacheWith(options: { maxEntries?: number; heard?: () => boolean } = {}) {
  const clock = fakeClock(1_000_000);
  const registry = new Registry();
  const sut = new AskerContextCache({ ttlMs: TTL_MS, maxEntries: options.maxEntries ?? 100, heard: options.heard ?? (() => true), now: clock.now }, registry);
  const lookups = async () => {
    const values = (await registry.getSingleMetric('loopdesk_asker_context_cache_total')!.get()).values;
    return Object.fromEntries(values.map((v) => [v.labels.result, v.value]));
  };
  return { sut, clock, lookups };
}

describe("the askers' context cache", () => {
  it('keeps a context for its TTL, then asks account-context again', async () => {
    const { sut, clock, lookups } = cacheWith();
    const peer = accountContext();
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('team'));
    peer.state.plan = 'business';
    clock.advance(TTL_MS - 1);
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('team'));
    expect(peer.state.calls).toBe(1);
    clock.advance(1);
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('business'));
    expect(peer.state.calls).toBe(2);
    expect(await lookups()).toEqual({ hit: 1, miss: 2 });
  });

  it('keeps one context per workspace, customer and page (no page differs from an empty one)', async () => {
    const { sut } = cacheWith();
    const peer = accountContext();
    const asks: Array<[string, string, string | null]> = [
      [WORKSPACE, CUSTOMER, '/billing'],
      [WORKSPACE, CUSTOMER, '/reports'],
      [WORKSPACE, CUSTOMER, null],
      [WORKSPACE, CUSTOMER, ''],
      [WORKSPACE, OTHER_CUSTOMER, '/billing'],
      [OTHER_WORKSPACE, CUSTOMER, '/billing'],
    ];
    for (const [workspaceId, customerId, page] of asks) await sut.get(workspaceId, customerId, page, peer.fetch);
    expect(peer.state.calls).toBe(asks.length);
    for (const [workspaceId, customerId, page] of asks) await sut.get(workspaceId, customerId, page, peer.fetch);
    expect(peer.state.calls).toBe(asks.length);
  });

  it('past its bound forgets the oldest context first', async () => {
    const { sut } = cacheWith({ maxEntries: 2 });
    const peer = accountContext();
    for (const page of ['/a', '/b', '/c']) await sut.get(WORKSPACE, CUSTOMER, page, peer.fetch);
    expect(peer.state.calls).toBe(3);
    await sut.get(WORKSPACE, CUSTOMER, '/c', peer.fetch);
    await sut.get(WORKSPACE, CUSTOMER, '/b', peer.fetch);
    expect(peer.state.calls).toBe(3);
    await sut.get(WORKSPACE, CUSTOMER, '/a', peer.fetch);
    expect(peer.state.calls).toBe(4);
  });

  it('asks that want the same context at once share one call', async () => {
    const { sut, lookups } = cacheWith();
    const peer = accountContext();
    peer.state.holding = true;
    const asks = [1, 2, 3].map(() => sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch));
    expect(peer.state.calls).toBe(1);
    peer.held[0]!.finish();
    expect(await Promise.all(asks)).toEqual([1, 2, 3].map(() => contextOn('team')));
    expect(await lookups()).toEqual({ hit: 2, miss: 1 });
  });

  it('a failed call fails the asks that shared it and is not kept', async () => {
    const { sut } = cacheWith();
    const peer = accountContext();
    peer.state.holding = true;
    const asks = [1, 2].map(() => sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch));
    peer.held[0]!.fail(new Error('account-context is down'));
    for (const ask of asks) await expect(ask).rejects.toThrow('account-context is down');
    peer.state.holding = false;
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('team'));
    expect(peer.state.calls).toBe(2);
  });

  it("a change forgets its workspace's contexts and no other's", async () => {
    const { sut } = cacheWith();
    const peer = accountContext();
    await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    await sut.get(WORKSPACE, OTHER_CUSTOMER, null, peer.fetch);
    await sut.get(OTHER_WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    peer.state.plan = 'business';
    sut.forget(WORKSPACE);
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('business'));
    expect(await sut.get(WORKSPACE, OTHER_CUSTOMER, null, peer.fetch)).toEqual(contextOn('business'));
    expect(await sut.get(OTHER_WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('team'));
    expect(peer.state.calls).toBe(5);
    sut.forget(null);
    await sut.get(OTHER_WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    expect(peer.state.calls).toBe(6);
  });

  it('a call in flight when its workspace changes serves the asks that waited for it, but is neither joined nor kept', async () => {
    const { sut } = cacheWith();
    const peer = accountContext();
    peer.state.holding = true;
    const before = sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    peer.state.plan = 'business';
    sut.forget(WORKSPACE);
    const after = sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    expect(peer.state.calls).toBe(2);
    peer.held[0]!.finish();
    peer.held[1]!.finish();
    expect(await before).toEqual(contextOn('team'));
    expect(await after).toEqual(contextOn('business'));
    peer.state.holding = false;
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('business'));
    expect(peer.state.calls).toBe(2);
  });

  it('while changes are not heard, serves and keeps nothing', async () => {
    let heard = true;
    const { sut } = cacheWith({ heard: () => heard });
    const peer = accountContext();
    await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    heard = false;
    peer.state.plan = 'business';
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('business'));
    peer.state.plan = 'enterprise';
    heard = true;
    expect(await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch)).toEqual(contextOn('enterprise'));
    expect(peer.state.calls).toBe(3);
    // A call that started while heard and ended while not is not kept either.
    sut.forget(null);
    peer.state.holding = true;
    const ask = sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    heard = false;
    peer.held[0]!.finish();
    await ask;
    heard = true;
    peer.state.holding = false;
    await sut.get(WORKSPACE, CUSTOMER, '/billing', peer.fetch);
    expect(peer.state.calls).toBe(5);
  });
});
