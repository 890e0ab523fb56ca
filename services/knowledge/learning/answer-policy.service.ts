/** Per-topic answer thresholds: read on every question, recalibrated on every decisive outcome. */
import type { DataSource, EntityManager } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { DEFAULT_THRESHOLD, MIN_SAMPLES, WINDOW, calibrateThreshold } from './answer-policy';
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
   * The topic's learned threshold once it has enough outcomes; until then `untaught`, the default for the
   * confidence being judged (DEFAULT_THRESHOLD for the intent model's, DAY_ONE_THRESHOLD for retrieval's).
   */
  async thresholdFor(workspaceId: string, topic: string, untaught: number = DEFAULT_THRESHOLD): Promise<number> {
    const rows: Array<{ threshold: number; samples: number }> = await this.db.query(
      `SELECT threshold, samples FROM knowledge.topic_policies WHERE workspace_id = $1 AND topic = $2`,
      [workspaceId, topic],
    );
    return rows[0] && rows[0].samples >= MIN_SAMPLES ? Number(rows[0].threshold) : untaught;
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
  async recordOutcome(tx: EntityManager, workspaceId: string, topic: string, confidence: number, correct: boolean, signal: string, source: OutcomeSource | null = null): Promise<void> {
    await tx.query(`INSERT INTO knowledge.answer_outcomes (workspace_id, topic, confidence, correct, signal, voter, weight, visitor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      workspaceId,
      topic,
      confidence,
      correct,
      signal,
      source ? voterKey(source) : null,
      source ? SOURCE_WEIGHT[source.kind] : 1,
      source?.kind === 'visitor',
    ]);
    // One recalibration at a time per topic: concurrent outcomes queue here instead of racing.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))`, [workspaceId, topic]);
    const outcomes: Array<{ confidence: number; correct: boolean; weight: number; visitor: boolean }> = await tx.query(
      `SELECT confidence, correct, weight, visitor FROM (
         SELECT DISTINCT ON (coalesce(voter, id::text)) id, confidence, correct, weight, visitor
           FROM (SELECT * FROM knowledge.answer_outcomes WHERE workspace_id = $1 AND topic = $2 ORDER BY id DESC LIMIT $4) recent
          ORDER BY coalesce(voter, id::text), id DESC
       ) latest ORDER BY id DESC LIMIT $3`,
      [workspaceId, topic, WINDOW, WINDOW * SCANNED_PER_WINDOW],
    );
    const { targetPrecision } = await this.settings.get(workspaceId, tx);
    const next = calibrateThreshold(
      poolVisitors(outcomes.map((o) => ({ confidence: Number(o.confidence), correct: o.correct, weight: Number(o.weight), visitor: o.visitor }))),
      targetPrecision,
    );
    const [current] = await tx.query(`SELECT threshold FROM knowledge.topic_policies WHERE workspace_id = $1 AND topic = $2`, [workspaceId, topic]);
    const previous = current ? Number(current.threshold) : DEFAULT_THRESHOLD;
    await tx.query(
      `INSERT INTO knowledge.topic_policies (workspace_id, topic, threshold, samples, precision_at_threshold, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (workspace_id, topic) DO UPDATE SET threshold = $3, samples = $4, precision_at_threshold = $5, updated_at = now()`,
      [workspaceId, topic, next.threshold, Math.round(next.samples), next.precision],
    );
    if (Math.abs(next.threshold - previous) >= NOTABLE_MOVE) {
      const direction = next.threshold > 1 ? 'now hands off every question' : next.threshold < previous ? 'answers more on its own' : 'hands off more';
      await recordLearningEvent(tx, {
        workspaceId,
        kind: 'threshold_moved',
        topic,
        summary: `Topic "${topic || '(none)'}" ${direction}: confidence needed ${previous.toFixed(2)} → ${next.threshold.toFixed(2)} over ${Math.round(next.samples)} outcomes`,
        signal: signal,
        actor: 'system:answer-policy',
        before: { threshold: previous },
        after: { threshold: next.threshold, samples: Math.round(next.samples), precision: next.precision },
      });
      await recordEvents(tx, [{ workspaceId, type: 'threshold_moved', payload: { topic, before: previous, after: next.threshold, samples: Math.round(next.samples) } }]);
    }
  }

  async setThreshold(tx: EntityManager, workspaceId: string, topic: string, threshold: number): Promise<void> {
    await tx.query(
      `INSERT INTO knowledge.topic_policies (workspace_id, topic, threshold, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (workspace_id, topic) DO UPDATE SET threshold = $3, updated_at = now()`,
      [workspaceId, topic, threshold],
    );
  }

  async listPolicies(workspaceId: string): Promise<Array<{ topic: string; threshold: number; samples: number; precision: number | null }>> {
    const rows: Array<{ topic: string; threshold: number; samples: number; precision: number | null }> = await this.db.query(
      `SELECT topic, threshold, samples, precision_at_threshold AS precision FROM knowledge.topic_policies WHERE workspace_id = $1 ORDER BY topic`,
      [workspaceId],
    );
    return rows.map((r) => ({ ...r, threshold: Number(r.threshold), precision: r.precision === null ? null : Number(r.precision) }));
  }
}
