/** Per-(topic, confidence scale) answer thresholds: read on every question, recalibrated on every decisive outcome. */
import type { DataSource, EntityManager } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { ConfidenceScale, MIN_SAMPLES, UNTAUGHT_THRESHOLD, WINDOW, byRecency, calibrateThreshold } from './answer-policy';
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
  async thresholdFor(workspaceId: string, topic: string, scale: ConfidenceScale): Promise<number> {
    const rows: Array<{ threshold: number; samples: number }> = await this.db.query(
      `SELECT threshold, samples FROM knowledge.topic_policies WHERE workspace_id = $1 AND topic = $2 AND scale = $3`,
      [workspaceId, topic, scale],
    );
    return rows[0] && rows[0].samples >= MIN_SAMPLES ? Number(rows[0].threshold) : UNTAUGHT_THRESHOLD[scale];
  }

  /**
   * The lowest bar any answer on this scale must clear in the workspace: no topic's (learned, or untaught) is lower,
   * and a sensitive answer's is higher still. Below it, evidence on the scale cannot answer anything.
   */
  async lowestThreshold(workspaceId: string, scale: ConfidenceScale): Promise<number> {
    const [row]: Array<{ lowest: number | null }> = await this.db.query(
      `SELECT min(threshold)::float8 AS lowest FROM knowledge.topic_policies WHERE workspace_id = $1 AND scale = $2 AND samples >= $3`,
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
  ): Promise<void> {
    await tx.query(`INSERT INTO knowledge.answer_outcomes (workspace_id, topic, confidence, correct, signal, voter, weight, visitor, scale) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      workspaceId,
      topic,
      confidence,
      correct,
      signal,
      source ? voterKey(source) : null,
      (source ? SOURCE_WEIGHT[source.kind] : 1) * factor,
      source?.kind === 'visitor',
      scale,
    ]);
    // One recalibration at a time per topic and scale: concurrent outcomes queue here instead of racing.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2 || '/' || $3))`, [workspaceId, topic, scale]);
    const outcomes: Array<{ confidence: number; correct: boolean; weight: number; visitor: boolean }> = await tx.query(
      `SELECT confidence, correct, weight, visitor FROM (
         SELECT DISTINCT ON (coalesce(voter, id::text)) id, confidence, correct, weight, visitor
           FROM (SELECT * FROM knowledge.answer_outcomes WHERE workspace_id = $1 AND topic = $2 AND scale = $5 ORDER BY id DESC LIMIT $4) recent
          ORDER BY coalesce(voter, id::text), id DESC
       ) latest ORDER BY id DESC LIMIT $3`,
      [workspaceId, topic, WINDOW, WINDOW * SCANNED_PER_WINDOW, scale],
    );
    const { targetPrecision } = await this.settings.get(workspaceId, tx);
    const untaught = UNTAUGHT_THRESHOLD[scale];
    const next = calibrateThreshold(
      byRecency(poolVisitors(outcomes.map((o) => ({ confidence: Number(o.confidence), correct: o.correct, weight: Number(o.weight), visitor: o.visitor })))),
      targetPrecision,
      untaught,
    );
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
  }

  async setThreshold(tx: EntityManager, workspaceId: string, topic: string, threshold: number, scale: ConfidenceScale = 'retrieval'): Promise<void> {
    await tx.query(
      `INSERT INTO knowledge.topic_policies (workspace_id, topic, scale, threshold, updated_at) VALUES ($1, $2, $4, $3, now())
       ON CONFLICT (workspace_id, topic, scale) DO UPDATE SET threshold = $3, updated_at = now()`,
      [workspaceId, topic, threshold, scale],
    );
  }

  async listPolicies(workspaceId: string): Promise<Array<{ topic: string; scale: ConfidenceScale; threshold: number; samples: number; precision: number | null }>> {
    const rows: Array<{ topic: string; scale: ConfidenceScale; threshold: number; samples: number; precision: number | null }> = await this.db.query(
      `SELECT topic, scale, threshold, samples, precision_at_threshold AS precision FROM knowledge.topic_policies WHERE workspace_id = $1 ORDER BY topic, scale`,
      [workspaceId],
    );
    return rows.map((r) => ({ ...r, threshold: Number(r.threshold), precision: r.precision === null ? null : Number(r.precision) }));
  }
}
