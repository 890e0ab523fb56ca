/** A workspace's escalation SLAs: first response, resolution, reminder lead time, reopen window. */
import type { DataSource } from 'typeorm';
import type { EscalationSla } from '../../../workflows/escalation-contract';

export type { EscalationSla };

export class EscalationSettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly defaults: EscalationSla,
  ) {}

  async get(workspaceId: string): Promise<EscalationSla> {
    const rows: Array<Record<keyof EscalationSla, string>> = await this.db.query(
      `SELECT first_response_ms AS "firstResponseMs", resolution_ms AS "resolutionMs", reminder_before_ms AS "reminderBeforeMs", reopen_window_ms AS "reopenWindowMs"
         FROM conversation.escalation_settings WHERE workspace_id = $1`,
      [workspaceId],
    );
    const row = rows[0];
    if (!row) return this.defaults;
    return { firstResponseMs: Number(row.firstResponseMs), resolutionMs: Number(row.resolutionMs), reminderBeforeMs: Number(row.reminderBeforeMs), reopenWindowMs: Number(row.reopenWindowMs) };
  }

  async update(workspaceId: string, changes: Partial<EscalationSla>): Promise<EscalationSla> {
    const current = await this.get(workspaceId);
    const next: EscalationSla = {
      firstResponseMs: changes.firstResponseMs ?? current.firstResponseMs,
      resolutionMs: changes.resolutionMs ?? current.resolutionMs,
      reminderBeforeMs: changes.reminderBeforeMs ?? current.reminderBeforeMs,
      reopenWindowMs: changes.reopenWindowMs ?? current.reopenWindowMs,
    };
    await this.db.query(
      `INSERT INTO conversation.escalation_settings (workspace_id, first_response_ms, resolution_ms, reminder_before_ms, reopen_window_ms, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (workspace_id) DO UPDATE SET first_response_ms = $2, resolution_ms = $3, reminder_before_ms = $4, reopen_window_ms = $5, updated_at = now()`,
      [workspaceId, next.firstResponseMs, next.resolutionMs, next.reminderBeforeMs, next.reopenWindowMs],
    );
    return next;
  }
}
