/**
 * Per-(topic, confidence scale) answer thresholds: read on every question, recalibrated on every decisive outcome.
 * Within a topic, a context bucket (asker-buckets.ts: plan, billing state, tenure, page area) with enough outcomes
 * of its own gets its own threshold, calibrated the same way (same target precision, same proof) but starting from
 * the topic's threshold instead of the scale's untaught bar: the topic's bar holds in the bucket until the bucket's
 * own outcomes prove it can answer more (a Wilson bound) or show it must answer less. An asker in several such
 * buckets is held to the strictest of them.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import { ConfidenceScale, MIN_SAMPLES, Outcome, UNTAUGHT_THRESHOLD, WINDOW, byRecency, calibrateThreshold } from './answer-policy';
import { recordLearningEvent } from './learning-events';
import { OutcomeSource, SOURCE_WEIGHT, poolVisitors, voterKey } from './learning-trust';
import type { SettingsService } from './settings.service';

/** A move smaller than this is noise, not a change worth recording. */
const NOTABLE_MOVE = 0.05;
/** Rows read to find the window's latest outcome per voter: a voter repeating themselves cannot push others out of it. */
const SCANNED_PER_WINDOW = 10;

export class AnswerPolicyService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: SettingsService,
  ) {}

  /**
   * The threshold learned for the topic on this confidence scale once it has enough outcomes; until then the
   * scale's untaught bar (UNTAUGHT_THRESHOLD). A frozen workspace keeps what it had learned when it froze.
   */
  async thresholdFor(workspaceId: string, topic: string, scale: ConfidenceScale, contextKeys: readonly string[] = []): Promise<number> {
    const rows: Array<{ threshold: number; samples: number; context: boolean }> = await this.db.query(
      `SELECT threshold, samples, false AS context FROM knowledge.topic_policies WHERE workspace_id = $1 AND topic = $2 AND scale = $3
       UNION ALL
       SELECT max(threshold), $5, true FROM knowledge.context_policies
        WHERE cardinality($4::text[]) > 0 AND workspace_id = $1 AND topic = $2 AND scale = $3 AND context_key = ANY($4::text[]) AND samples >= $5
       HAVING count(*) > 0`,
      [workspaceId, topic, scale, contextKeys, MIN_SAMPLES],
    );
    const inContext = rows.find((row) => row.context);
    if (inContext) return Number(inContext.threshold);
    const own = rows.find((row) => !row.context);
    return own && own.samples >= MIN_SAMPLES ? Number(own.threshold) : UNTAUGHT_THRESHOLD[scale];
  }

  /**
   * The lowest bar any answer on this scale must clear in the workspace: no topic's (learned, or untaught) is lower,
   * and a sensitive answer's is higher still. Below it, evidence on the scale cannot answer anything.
   */
  async lowestThreshold(workspaceId: string, scale: ConfidenceScale): Promise<number> {
    const [row]: Array<{ lowest: number | null }> = await this.db.query(
      `SELECT min(threshold)::float8 AS lowest FROM (
         SELECT threshold FROM knowledge.topic_policies WHERE workspace_id = $1 AND scale = $2 AND samples >= $3
         UNION ALL
         SELECT threshold FROM knowledge.context_policies WHERE workspace_id = $1 AND scale = $2 AND samples >= $3) bars`,
      [workspaceId, scale, MIN_SAMPLES],
    );
    return Math.min(UNTAUGHT_THRESHOLD[scale], row?.lowest ?? Infinity);
  }

  /**
   * The bar an answer from sensitive knowledge must clear: the workspace's sensitive threshold, or the topic's own
   * if that is higher. Outcomes can take a topic's bar down, never a sensitive answer's below the workspace's.
   */
  async sensitiveThresholdFor(workspaceId: string, topicThreshold: number): Promise<number> {
    const { sensitiveThreshold } = await this.settings.get(workspaceId);
    return Math.max(topicThreshold, sensitiveThreshold);
  }

  /**
   * Records a decisive outcome for a topic and recalibrates its threshold, in the caller's transaction. A
   * customer's or visitor's latest outcome in the topic is the only one of theirs that counts, and visitors
   * together weigh at most VISITOR_POOL_CAP (learning-trust.ts); agents' and the system's each count.
   */
  async recordOutcome(
    tx: EntityManager,
    workspaceId: string,
    topic: string,
    confidence: number,
    correct: boolean,
    signal: string,
    source: OutcomeSource | null = null,
    scale: ConfidenceScale = 'retrieval',
    /** The signal's own weight (learning-trust.ts signalWeight), times who gave it. */
    factor = 1,
    /** The context buckets the answer was given in: each bucket's threshold is recalibrated too. */
    contextKeys: readonly string[] = [],
  ): Promise<void> {
    const keys = [...new Set(contextKeys)];
    await tx.query(`INSERT INTO knowledge.answer_outcomes (workspace_id, topic, confidence, correct, signal, voter, weight, visitor, scale, context_keys) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      workspaceId,
      topic,
      confidence,
      correct,
      signal,
      source ? voterKey(source) : null,
      (source ? SOURCE_WEIGHT[source.kind] : 1) * factor,
      source?.kind === 'visitor',
      scale,
      keys,
    ]);
    // One recalibration at a time per topic and scale: concurrent outcomes queue here instead of racing.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2 || '/' || $3))`, [workspaceId, topic, scale]);
    const { targetPrecision } = await this.settings.get(workspaceId, tx);
    const untaught = UNTAUGHT_THRESHOLD[scale];
    const next = calibrateThreshold(await recentOutcomes(tx, workspaceId, topic, scale, null), targetPrecision, untaught);
    const [current] = await tx.query(`SELECT threshold, samples FROM knowledge.topic_policies WHERE workspace_id = $1 AND topic = $2 AND scale = $3`, [workspaceId, topic, scale]);
    const previous = current && Number(current.samples) >= MIN_SAMPLES ? Number(current.threshold) : untaught;
    await tx.query(
      `INSERT INTO knowledge.topic_policies (workspace_id, topic, scale, threshold, samples, precision_at_threshold, updated_at)
       VALUES ($1, $2, $6, $3, $4, $5, now())
       ON CONFLICT (workspace_id, topic, scale) DO UPDATE SET threshold = $3, samples = $4, precision_at_threshold = $5, updated_at = now()`,
      [workspaceId, topic, next.threshold, Math.round(next.samples), next.precision, scale],
    );
    if (Math.abs(next.threshold - previous) >= NOTABLE_MOVE) {
      const direction = next.threshold > 1 ? 'now hands off every question' : next.threshold < previous ? 'answers more on its own' : 'hands off more';
      await recordLearningEvent(tx, {
        workspaceId,
        kind: 'threshold_moved',
        topic,
        summary: `Topic "${topic || '(none)'}" ${direction}: ${scale === 'intent' ? 'the intent model' : 'retrieval'}'s confidence needed ${previous.toFixed(2)} → ${next.threshold.toFixed(2)} over ${Math.round(next.samples)} outcomes`,
        signal: signal,
        actor: 'system:answer-policy',
        before: { threshold: previous, scale },
        after: { threshold: next.threshold, samples: Math.round(next.samples), precision: next.precision, scale },
      });
      await recordEvents(tx, [{ workspaceId, type: 'threshold_moved', payload: { topic, scale, before: previous, after: next.threshold, samples: Math.round(next.samples) } }]);
    }
    // The outcome's buckets are recalibrated; when the topic's bar moved, every bucket of the topic is (each starts from it).
    const topicBar = next.samples >= MIN_SAMPLES ? next.threshold : untaught;
    const buckets = new Set(keys);
    if (topicBar !== previous) {
      const known = rowsOf<{ key: string }>(
        await tx.query(`SELECT context_key AS key FROM knowledge.context_policies WHERE workspace_id = $1 AND topic = $2 AND scale = $3`, [workspaceId, topic, scale]),
      );
      for (const { key } of known) buckets.add(key);
    }
    for (const key of buckets) await this.recalibrateContext(tx, workspaceId, topic, scale, key, topicBar, targetPrecision);
  }

  /** A context bucket's threshold within a topic: the topic's bar until the bucket's own outcomes say otherwise. */
  private async recalibrateContext(tx: EntityManager, workspaceId: string, topic: string, scale: ConfidenceScale, key: string, topicBar: number, targetPrecision: number): Promise<void> {
    const next = calibrateThreshold(await recentOutcomes(tx, workspaceId, topic, scale, key), targetPrecision, topicBar);
    await tx.query(
      `INSERT INTO knowledge.context_policies (workspace_id, topic, scale, context_key, threshold, samples, precision_at_threshold, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (workspace_id, topic, scale, context_key) DO UPDATE SET threshold = $5, samples = $6, precision_at_threshold = $7, updated_at = now()`,
      [workspaceId, topic, scale, key, next.threshold, Math.round(next.samples), next.precision],
    );
  }

  async setThreshold(tx: EntityManager, workspaceId: string, topic: string, threshold: number, scale: ConfidenceScale = 'retrieval'): Promise<void> {
    await tx.query(
      `INSERT INTO knowledge.topic_policies (workspace_id, topic, scale, threshold, updated_at) VALUES ($1, $2, $4, $3, now())
       ON CONFLICT (workspace_id, topic, scale) DO UPDATE SET threshold = $3, updated_at = now()`,
      [workspaceId, topic, threshold, scale],
    );
  }

  /** Each topic's thresholds per scale, then (context set) those of its context buckets that have enough outcomes of their own. */
  async listPolicies(workspaceId: string): Promise<Array<{ topic: string; scale: ConfidenceScale; context: string | null; threshold: number; samples: number; precision: number | null }>> {
    const rows: Array<{ topic: string; scale: ConfidenceScale; context: string | null; threshold: number; samples: number; precision: number | null }> = await this.db.query(
      `SELECT topic, scale, NULL AS context, threshold, samples, precision_at_threshold AS precision FROM knowledge.topic_policies WHERE workspace_id = $1
       UNION ALL
       SELECT topic, scale, context_key, threshold, samples, precision_at_threshold FROM knowledge.context_policies WHERE workspace_id = $1 AND samples >= $2
       ORDER BY topic, scale, context NULLS FIRST`,
      [workspaceId, MIN_SAMPLES],
    );
    return rows.map((r) => ({ ...r, threshold: Number(r.threshold), precision: r.precision === null ? null : Number(r.precision) }));
  }
}

/**
 * The window of a topic's decisive outcomes on a scale (all of them, or those given in one context bucket) that
 * calibration reads: each customer's or visitor's latest only, visitors pooled (learning-trust.ts), newest counting
 * most (byRecency). A bucket's are read among the topic's most recent outcomes, so a rare bucket costs no more.
 */
async function recentOutcomes(tx: EntityManager, workspaceId: string, topic: string, scale: ConfidenceScale, contextKey: string | null): Promise<Outcome[]> {
  const rows: Array<{ confidence: number; correct: boolean; weight: number; visitor: boolean }> = await tx.query(
    `SELECT confidence, correct, weight, visitor FROM (
       SELECT DISTINCT ON (coalesce(voter, id::text)) id, confidence, correct, weight, visitor
         FROM (SELECT * FROM knowledge.answer_outcomes WHERE workspace_id = $1 AND topic = $2 AND scale = $5 ORDER BY id DESC LIMIT $4) recent
        WHERE $6::text IS NULL OR $6 = ANY(context_keys)
        ORDER BY coalesce(voter, id::text), id DESC
     ) latest ORDER BY id DESC LIMIT $3`,
    [workspaceId, topic, WINDOW, WINDOW * SCANNED_PER_WINDOW, scale, contextKey],
  );
  return byRecency(poolVisitors(rows.map((o) => ({ confidence: Number(o.confidence), correct: o.correct, weight: Number(o.weight), visitor: o.visitor }))));
}
