/**
 * Spikes: topics whose question volume in a window rose significantly against their trailing baseline.
 *
 * The test: the baseline is the `baselineWindows` windows of the same length just before the window; its
 * rate is λ = (baseline questions + 1) / baselineWindows (the +1 keeps a brand-new topic from having rate 0,
 * which would make any single question "infinitely" surprising). A topic spikes when
 *   - P(X ≥ volume | X ~ Poisson(λ)) is below `significance` divided by the number of topics tested
 *     (Bonferroni: with 60 topics, one of them would otherwise pass a 1% test by chance about half the time),
 *   - volume ≥ `minVolume` (a jump from 0 to 2 is not news), and volume ≥ 1.5 λ.
 * With no questions at all in the baseline (a new workspace) nothing is reported.
 * Each spike is linked to the product changes recorded from `linkDays` before the window to its end that
 * flagged an item of that topic or name the topic among their product areas.
 */
import { isWholeHour, rollupRange } from '../rollup-window';
import { badInput } from '../../shared/errors';
import { MAX_RANGE_DAYS, checkRange, toClickHouseTime } from '../time-range';
import { WarehouseReader } from '../warehouse-reader';
import { poissonUpperTail } from './poisson';
import { FLAGGED_TOPICS_SQL, PRODUCT_CHANGES_SQL, TOPIC_VOLUME_ROLLUP_SQL, TOPIC_VOLUME_SQL } from './topic-spikes.queries';

export interface SpikeQuery {
  from: Date;
  to: Date;
  baselineWindows: number;
  significance: number;
  minVolume: number;
  linkDays: number;
}

export const SPIKE_DEFAULTS = { baselineWindows: 4, significance: 0.01, minVolume: 5, linkDays: 7 } as const;
/** A spike must at least be this many times its baseline rate, however significant. */
const MIN_RATIO = 1.5;

export interface LinkedChange {
  id: string;
  title: string;
  recordedAt: string;
}

export interface TopicSpike {
  topic: string;
  volume: number;
  /** Mean questions per window over the baseline windows (unsmoothed). */
  baseline: number;
  /** volume / smoothed baseline rate. */
  ratio: number;
  pValue: number;
  productChanges: LinkedChange[];
}

interface ChangeRow {
  id: string;
  title: string;
  productAreas: string[];
  recordedAt: string;
}

export class TopicSpikesService extends WarehouseReader {
  async spikes(workspaceId: string, query: SpikeQuery): Promise<{ spikes: TopicSpike[]; topicsTested: number; baselineQuestions: number }> {
    checkRange(query.from, query.to);
    const length = query.to.getTime() - query.from.getTime();
    const baselineFrom = new Date(query.from.getTime() - query.baselineWindows * length);
    // The window and its baseline are read together: say so, rather than name a range the caller did not send.
    if (query.to.getTime() - baselineFrom.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      const days = (query.to.getTime() - baselineFrom.getTime()) / 86_400_000;
      throw badInput(
        `The window and its ${query.baselineWindows} baseline windows span ${Math.ceil(days)} days, more than the ${MAX_RANGE_DAYS} days a query may read: shorten the window (at most ${Math.floor(MAX_RANGE_DAYS / (query.baselineWindows + 1))} days with ${query.baselineWindows} baseline windows) or use fewer baseline windows`,
      );
    }
    const linkFrom = new Date(query.from.getTime() - query.linkDays * 86_400_000);
    const params = {
      workspaceId,
      from: toClickHouseTime(query.from),
      to: toClickHouseTime(query.to),
      baselineFrom: toClickHouseTime(baselineFrom),
      linkFrom: toClickHouseTime(linkFrom),
      ...rollupRange('spike', baselineFrom, query.to),
    };
    const fromRollups = this.readFrom === 'rollups' && isWholeHour(query.from);
    const rows = await this.rows<{ topic: string; volume: string; baselineVolume: string }>(fromRollups ? TOPIC_VOLUME_ROLLUP_SQL : TOPIC_VOLUME_SQL, params);
    const tested = rows.filter((row) => Number(row.volume) > 0);
    const baselineQuestions = rows.reduce((sum, row) => sum + Number(row.baselineVolume), 0);
    // A workspace with no history has no baseline: every topic would look new. Say nothing rather than noise.
    if (baselineQuestions === 0) return { spikes: [], topicsTested: tested.length, baselineQuestions };
    const threshold = query.significance / Math.max(1, tested.length);
    const candidates = tested
      .map((row) => {
        const volume = Number(row.volume);
        const rate = (Number(row.baselineVolume) + 1) / query.baselineWindows;
        return { topic: row.topic, volume, baseline: Number(row.baselineVolume) / query.baselineWindows, ratio: volume / rate, pValue: poissonUpperTail(volume, rate) };
      })
      .filter((s) => s.volume >= query.minVolume && s.ratio >= MIN_RATIO && s.pValue < threshold)
      .sort((a, b) => a.pValue - b.pValue || b.volume - a.volume || a.topic.localeCompare(b.topic));
    if (candidates.length === 0) return { spikes: [], topicsTested: tested.length, baselineQuestions };

    const [changes, flagged] = await Promise.all([
      this.rows<ChangeRow>(PRODUCT_CHANGES_SQL, params),
      this.rows<{ id: string; topics: string[] }>(FLAGGED_TOPICS_SQL, params),
    ]);
    const flaggedTopics = new Map(flagged.map((f) => [f.id, new Set(f.topics.map(normalise))]));
    const linked = (topic: string) =>
      changes
        .filter((c) => flaggedTopics.get(c.id)?.has(normalise(topic)) || c.productAreas.some((area) => normalise(area) === normalise(topic)))
        .map((c) => ({ id: c.id, title: c.title, recordedAt: new Date(`${c.recordedAt.replace(' ', 'T')}Z`).toISOString() }));
    return { spikes: candidates.map((s) => ({ ...s, productChanges: linked(s.topic) })), topicsTested: tested.length, baselineQuestions };
  }
}

const normalise = (topic: string) => topic.trim().toLowerCase();
