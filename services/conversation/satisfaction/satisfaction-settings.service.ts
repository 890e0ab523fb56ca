/** A workspace's satisfaction settings: the CSAT survey's wording and the drop-off window. */
import type { DataSource } from 'typeorm';
import { rowsOf } from '../../shared/sql-rows';

export interface SatisfactionSettingsValue {
  /** What the survey asks after resolution. */
  csatQuestion: string;
  /** One label per score, 1 (worst) to 5 (best). */
  csatLabels: string[];
  /** An answer with no rating, resolution or follow-up this long after it is a drop-off. */
  dropOffWindowMs: number;
}

const DEFAULT_CSAT_QUESTION = 'How satisfied are you with the help you received?';
const DEFAULT_CSAT_LABELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

export class SatisfactionSettingsService {
  constructor(
    private readonly db: DataSource,
    /** The window for workspaces that did not set one (DROP_OFF_WINDOW_MS). */
    readonly defaultDropOffWindowMs: number,
  ) {}

  async get(workspaceId: string): Promise<SatisfactionSettingsValue> {
    const [row] = rowsOf<{ csatQuestion: string | null; csatLabels: string[] | null; dropOffWindowMs: string | null }>(await this.db.query(
      `SELECT csat_question AS "csatQuestion", csat_labels AS "csatLabels", drop_off_window_ms AS "dropOffWindowMs"
         FROM conversation.satisfaction_settings WHERE workspace_id = $1`,
      [workspaceId],
    ));
    return {
      csatQuestion: row?.csatQuestion ?? DEFAULT_CSAT_QUESTION,
      csatLabels: row?.csatLabels ?? DEFAULT_CSAT_LABELS,
      dropOffWindowMs: row?.dropOffWindowMs ? Number(row.dropOffWindowMs) : this.defaultDropOffWindowMs,
    };
  }

  /** Changes what is given; the rest stays as it was (a workspace without settings keeps following the defaults). */
  async update(workspaceId: string, changes: Partial<SatisfactionSettingsValue>): Promise<SatisfactionSettingsValue> {
    await this.db.query(
      `INSERT INTO conversation.satisfaction_settings (workspace_id, csat_question, csat_labels, drop_off_window_ms, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (workspace_id) DO UPDATE SET
         csat_question = coalesce($2, conversation.satisfaction_settings.csat_question),
         csat_labels = coalesce($3, conversation.satisfaction_settings.csat_labels),
         drop_off_window_ms = coalesce($4, conversation.satisfaction_settings.drop_off_window_ms),
         updated_at = now()`,
      [workspaceId, changes.csatQuestion ?? null, changes.csatLabels ?? null, changes.dropOffWindowMs ?? null],
    );
    return this.get(workspaceId);
  }
}
