/** Counted progress lines for long CLI work: rate, share and estimate, never more often than asked, always a last line. */
import { Progress, formatDuration, whileWaiting } from '../../services/shared/progress';
import { fakeClock } from '../helpers/fake-clock';

describe('Progress', () => {
  it('writes count, share, rate and time left once per interval, and a last line with the total time', () => {
    const time = fakeClock();
    const lines: string[] = [];
    const sut = new Progress('import', { unit: 'articles', total: 1_000, everyMs: 5_000, write: (line) => lines.push(line), now: time.now });
    time.advance(2_000);
    sut.advance(100);
    expect(lines).toEqual([]);
    time.advance(3_000);
    sut.advance(150);
    expect(lines).toEqual(['import: 250/1,000 articles (25%), 50/s, about 15 s left']);
    time.advance(1_000);
    sut.advance(50);
    expect(lines).toHaveLength(1);
    time.advance(4_000);
    sut.advance(700);
    sut.finish();
    sut.finish();
    expect(lines.slice(1)).toEqual(['import: 1,000/1,000 articles (100%), 100/s, about 0 s left', 'import: 1,000/1,000 articles in 10 s (100/s)']);
  });

  it('without a total, shows the count and the rate only', () => {
    const time = fakeClock();
    const lines: string[] = [];
    const sut = new Progress('stream', { unit: 'questions', everyMs: 1_000, write: (line) => lines.push(line), now: time.now });
    time.advance(4_000);
    sut.advance(6);
    expect(lines).toEqual(['stream: 6 questions, 1.5/s']);
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([formatDuration(400), formatDuration(59_400), formatDuration(185_000), formatDuration(7_800_000)]).toEqual(['0 s', '59 s', '3 min 5 s', '2 h 10 min']);
  });
});

describe('whileWaiting', () => {
  it('says it is still waiting until the work settles, then stops', async () => {
    const lines: string[] = [];
    let settle!: (value: string) => void;
    const work = new Promise<string>((resolve) => (settle = resolve));
    const everyMs = 20;
    const sut = whileWaiting('report 2026-W48', work, { everyMs, write: (line) => lines.push(line) });
    while (lines.length < 2) await new Promise((resolve) => setImmediate(resolve));
    settle('built');
    await expect(sut).resolves.toBe('built');
    const written = lines.length;
    // Three more intervals: a timer left running would have written again.
    await new Promise((resolve) => setTimeout(resolve, 3 * everyMs));
    expect(lines).toHaveLength(written);
    expect(lines[0]).toMatch(/^report 2026-W48: still waiting after \d+ s$/);
  });
});
