/** Workspace.support's response times: computed once per response, for exactly the scopes its fields asked for. */
import { LazyResponseTimes } from '../../services/insights/metrics/lazy-response-times';
import type { TimesScope } from '../../services/insights/metrics/support-metrics.queries';
import { NO_TIMES, ResponseTimesByScope } from '../../services/insights/metrics/support-metrics.service';

const times = (seconds: number) => ({ ...NO_TIMES, medianFirstResponseSeconds: seconds });

/** A load that records the scopes it was asked for and answers the range 1 s and bucket "d" 2 s, where the scope has them. */
function recordingLoad() {
  const scopes: TimesScope[] = [];
  const load = async (scope: TimesScope): Promise<ResponseTimesByScope> => {
    scopes.push(scope);
    return { range: scope === 'buckets' ? NO_TIMES : times(1), buckets: new Map(scope === 'range' ? [] : [['d', times(2)]]) };
  };
  return { scopes, load };
}

describe('LazyResponseTimes', () => {
  it('loads nothing until a time is asked for', async () => {
    const { scopes, load } = recordingLoad();
    new LazyResponseTimes(load);
    await new Promise((resolve) => setImmediate(resolve));
    expect(scopes).toEqual([]);
  });

  it('loads the range alone when only the totals ask', async () => {
    const { scopes, load } = recordingLoad();
    const lazy = new LazyResponseTimes(load);
    expect(await Promise.all([lazy.range(), lazy.range()])).toEqual([times(1), times(1)]);
    expect(scopes).toEqual(['range']);
  });

  it('loads the buckets alone when only buckets ask, and a bucket without a row has no times', async () => {
    const { scopes, load } = recordingLoad();
    const lazy = new LazyResponseTimes(load);
    expect(await Promise.all([lazy.bucket('d'), lazy.bucket('e')])).toEqual([times(2), NO_TIMES]);
    expect(scopes).toEqual(['buckets']);
  });

  it('loads both in one pass when the totals and the buckets ask in the same turn', async () => {
    const { scopes, load } = recordingLoad();
    const lazy = new LazyResponseTimes(load);
    expect(await Promise.all([lazy.bucket('d'), lazy.range()])).toEqual([times(2), times(1)]);
    expect(scopes).toEqual(['both']);
  });

  it('loads a scope asked for after the first load began on its own', async () => {
    const { scopes, load } = recordingLoad();
    const lazy = new LazyResponseTimes(load);
    expect(await lazy.range()).toEqual(times(1));
    expect(await lazy.bucket('d')).toEqual(times(2));
    expect(await lazy.range()).toEqual(times(1));
    expect(scopes).toEqual(['range', 'buckets']);
  });
});
