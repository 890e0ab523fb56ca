/** A workspace's learning settings: whether corrections publish at once or wait for review, and the target precision. */
import type { DataSource, EntityManager } from 'typeorm';

export type LearningMode = 'auto_publish' | 'review_required';

export interface LearningSettings {
  learningMode: LearningMode;
  targetPrecision: number;
}

export const DEFAULT_SETTINGS: LearningSettings = { learningMode: 'auto_publish', targetPrecision: 0.9 };

export class SettingsService {
  constructor(private readonly db: DataSource) {}

  async get(workspaceId: string, tx: EntityManager = this.db.manager): Promise<LearningSettings> {
    const rows: Array<{ learningMode: LearningMode; targetPrecision: number }> = await tx.query(
      `SELECT learning_mode AS "learningMode", target_precision AS "targetPrecision" FROM knowledge.workspace_settings WHERE workspace_id = $1`,
      [workspaceId],
    );
    return rows[0] ? { learningMode: rows[0].learningMode, targetPrecision: Number(rows[0].targetPrecision) } : DEFAULT_SETTINGS;
  }

  async update(workspaceId: string, changes: Partial<LearningSettings>): Promise<LearningSettings> {
    const current = await this.get(workspaceId);
    const next: LearningSettings = {
      learningMode: changes.learningMode ?? current.learningMode,
      targetPrecision: changes.targetPrecision ?? current.targetPrecision,
    };
    await this.db.query(
      `INSERT INTO knowledge.workspace_settings (workspace_id, learning_mode, target_precision, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (workspace_id) DO UPDATE SET learning_mode = $2, target_precision = $3, updated_at = now()`,
      [workspaceId, next.learningMode, next.targetPrecision],
    );
    return next;
  }
}
