/**
 * A workspace's learning settings: whether corrections publish at once or wait for review, the target precision,
 * the confidence sensitive knowledge needs before the AI answers from it alone, and whether learning is frozen.
 *
 * Frozen means the workspace learns nothing from its traffic: a correction is still delivered to the customer
 * and recorded in the conversation, but makes no learned answer and no question variant; outcomes (ratings,
 * resolutions, escalations, corrections, repeat contacts) are still recorded as events but move neither item
 * statistics nor topic thresholds, and confirmations teach no phrasing; so the intent model gets no update.
 * What admins do by hand still applies (articles, product changes flagging stale content, approvals, reverts):
 * that is the workspace's content changing, not learning from traffic. Unfreezing resumes learning from the
 * next signal; what arrived while frozen is not replayed.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SENSITIVE_THRESHOLD } from './answer-policy';

export type LearningMode = 'auto_publish' | 'review_required';

export interface LearningSettings {
  learningMode: LearningMode;
  targetPrecision: number;
  sensitiveThreshold: number;
  /** When learning was frozen; null while it is on. */
  learningFrozenAt: Date | null;
  /**
   * Whether learning keeps contexts apart: corrections apply to the context they were made in (or the scope the
   * agent gave), and outcome evidence in the asker's context buckets weighs in the choice. Off: every correction
   * applies to everyone and only an item's overall evidence counts (answers scoped before stay scoped).
   */
  contextLearning: boolean;
}

export interface LearningSettingsChanges {
  learningMode?: LearningMode;
  targetPrecision?: number;
  sensitiveThreshold?: number;
  learningFrozen?: boolean;
  contextLearning?: boolean;
}

const DEFAULT_SETTINGS: LearningSettings = {
  learningMode: 'auto_publish',
  targetPrecision: 0.9,
  sensitiveThreshold: DEFAULT_SENSITIVE_THRESHOLD,
  learningFrozenAt: null,
  contextLearning: true,
};

const COLUMNS = `learning_mode AS "learningMode", target_precision AS "targetPrecision", sensitive_threshold AS "sensitiveThreshold",
  learning_frozen_at AS "learningFrozenAt", context_learning AS "contextLearning"`;

interface SettingsRow {
  learningMode: LearningMode;
  targetPrecision: number;
  sensitiveThreshold: number;
  learningFrozenAt: Date | null;
  contextLearning: boolean;
}

const fromRow = (row: SettingsRow): LearningSettings => ({
  learningMode: row.learningMode,
  targetPrecision: Number(row.targetPrecision),
  sensitiveThreshold: Number(row.sensitiveThreshold),
  learningFrozenAt: row.learningFrozenAt,
  contextLearning: row.contextLearning,
});

export class SettingsService {
  constructor(private readonly db: DataSource) {}

  async get(workspaceId: string, tx: EntityManager = this.db.manager): Promise<LearningSettings> {
    const rows: SettingsRow[] = await tx.query(`SELECT ${COLUMNS} FROM knowledge.workspace_settings WHERE workspace_id = $1`, [workspaceId]);
    return rows[0] ? fromRow(rows[0]) : DEFAULT_SETTINGS;
  }

  /** Whether the workspace learns nothing from its traffic right now. */
  async isFrozen(workspaceId: string, tx: EntityManager = this.db.manager): Promise<boolean> {
    return (await this.get(workspaceId, tx)).learningFrozenAt !== null;
  }

  async update(workspaceId: string, changes: LearningSettingsChanges): Promise<LearningSettings> {
    // Freezing twice keeps the first time; unfreezing clears it. One statement, so concurrent updates cannot interleave.
    const freeze = changes.learningFrozen === undefined ? null : changes.learningFrozen ? 'freeze' : 'thaw';
    const [row] = await this.db.query(
      `INSERT INTO knowledge.workspace_settings (workspace_id, learning_mode, target_precision, sensitive_threshold, learning_frozen_at, context_learning, updated_at)
       VALUES ($1, coalesce($2, $6), coalesce($3::real, $7::real), coalesce($4::real, $8::real), CASE WHEN $5::text = 'freeze' THEN now() END, coalesce($9::boolean, true), now())
       ON CONFLICT (workspace_id) DO UPDATE SET
         learning_mode = coalesce($2, knowledge.workspace_settings.learning_mode),
         target_precision = coalesce($3::real, knowledge.workspace_settings.target_precision),
         sensitive_threshold = coalesce($4::real, knowledge.workspace_settings.sensitive_threshold),
         learning_frozen_at = CASE $5::text
           WHEN 'freeze' THEN coalesce(knowledge.workspace_settings.learning_frozen_at, now())
           WHEN 'thaw' THEN NULL
           ELSE knowledge.workspace_settings.learning_frozen_at END,
         context_learning = coalesce($9::boolean, knowledge.workspace_settings.context_learning),
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        workspaceId,
        changes.learningMode ?? null,
        changes.targetPrecision ?? null,
        changes.sensitiveThreshold ?? null,
        freeze,
        DEFAULT_SETTINGS.learningMode,
        DEFAULT_SETTINGS.targetPrecision,
        DEFAULT_SETTINGS.sensitiveThreshold,
        changes.contextLearning ?? null,
      ],
    );
    return fromRow(row as SettingsRow);
  }
}
