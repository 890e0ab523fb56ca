/**
 * A workspace's learning settings: whether corrections publish at once or wait for review, the target precision,
 * and the confidence sensitive knowledge needs before the AI answers from it alone.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SENSITIVE_THRESHOLD } from './answer-policy';

export type LearningMode = 'auto_publish' | 'review_required';

export interface LearningSettings {
  learningMode: LearningMode;
  targetPrecision: number;
  sensitiveThreshold: number;
}

export const DEFAULT_SETTINGS: LearningSettings = { learningMode: 'auto_publish', targetPrecision: 0.9, sensitiveThreshold: DEFAULT_SENSITIVE_THRESHOLD };

export class SettingsService {
  constructor(private readonly db: DataSource) {}

  async get(workspaceId: string, tx: EntityManager = this.db.manager): Promise<LearningSettings> {
    const rows: Array<{ learningMode: LearningMode; targetPrecision: number; sensitiveThreshold: number }> = await tx.query(
      `SELECT learning_mode AS "learningMode", target_precision AS "targetPrecision", sensitive_threshold AS "sensitiveThreshold"
         FROM knowledge.workspace_settings WHERE workspace_id = $1`,
      [workspaceId],
    );
    const row = rows[0];
    return row ? { learningMode: row.learningMode, targetPrecision: Number(row.targetPrecision), sensitiveThreshold: Number(row.sensitiveThreshold) } : DEFAULT_SETTINGS;
  }

  async update(workspaceId: string, changes: Partial<LearningSettings>): Promise<LearningSettings> {
    const current = await this.get(workspaceId);
    const next: LearningSettings = {
      learningMode: changes.learningMode ?? current.learningMode,
      targetPrecision: changes.targetPrecision ?? current.targetPrecision,
      sensitiveThreshold: changes.sensitiveThreshold ?? current.sensitiveThreshold,
    };
    await this.db.query(
      `INSERT INTO knowledge.workspace_settings (workspace_id, learning_mode, target_precision, sensitive_threshold, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (workspace_id) DO UPDATE SET learning_mode = $2, target_precision = $3, sensitive_threshold = $4, updated_at = now()`,
      [workspaceId, next.learningMode, next.targetPrecision, next.sensitiveThreshold],
    );
    return next;
  }
}
