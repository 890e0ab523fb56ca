/** Gauges read at scrape time: hand-offs nobody has claimed, and escalation commands Temporal has not taken yet. */
import { Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

export function registerBacklogMetrics(db: DataSource, registry: Registry): void {
  new Gauge({
    name: 'loopdesk_handoff_backlog',
    help: 'Handed-off conversations no agent has claimed (all workspaces)',
    registers: [registry],
    async collect() {
      const [row] = await db.query(`SELECT count(*)::int AS n FROM conversation.conversations WHERE status = 'handed_off' AND claimed_by IS NULL`);
      this.set(row.n);
    },
  });
  new Gauge({
    name: 'loopdesk_escalation_commands_pending',
    help: 'Escalation commands written but not yet taken by Temporal',
    registers: [registry],
    async collect() {
      const [row] = await db.query(`SELECT count(*)::int AS n FROM conversation.escalation_commands WHERE dispatched_at IS NULL`);
      this.set(row.n);
    },
  });
}
