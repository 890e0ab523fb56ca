/**
 * What the chaos benchmark's writes left behind, counted where they live once everything has drained: rows in
 * Postgres (each service's own tables and outboxes), events in the warehouse (distinct event ids, read from
 * the chDB directory while the insights process that owns it is stopped), and escalation workflow runs in
 * Temporal (every run of `escalation-<conversationId>`, open or closed).
 */
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createWarehouse } from '../../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../../services/shared/config';
import { ESCALATION_WORKFLOW, escalationWorkflowId } from '../../../workflows/escalation-contract';

export type Counts = Map<string, number>;

export interface Stored {
  postgres: {
    /** Customer messages per question text. */
    questions: Counts;
    /** question_asked outbox events per question text. */
    questionEvents: Counts;
    /** answer_rated outbox events per rated message. */
    ratings: Counts;
    /** escalated outbox events (a customer's requestHuman) per conversation. */
    escalatedEvents: Counts;
    /** hand_off commands per conversation (ask hand-offs and requestHuman alike). */
    handOffCommands: Counts;
    /** The escalation workflow's first step (`offered`: the team was told) per conversation. */
    offeredSteps: Counts;
    /** Agent messages delivering a correction, per corrected AI message. */
    correctionMessages: Counts;
    /** Learning events of a correction (`correction:<message id>`), per corrected AI message. */
    correctionLearning: Counts;
    /** answer_corrected outbox events per corrected AI message. */
    correctionEvents: Counts;
    outboxEvents: number;
  };
  warehouse: {
    questions: Counts;
    ratings: Counts;
    escalated: Counts;
    corrections: Counts;
    events: number;
  };
  /** Runs of escalation-<conversationId>, per conversation. */
  escalationRuns: Counts;
}

const toCounts = (rows: Array<{ ref: string; n: number | string }>): Counts => new Map(rows.map((row) => [row.ref, Number(row.n)]));

export async function countPostgres(databaseUrl: string, workspaceId: string): Promise<Stored['postgres']> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const counts = async (sql: string) => toCounts((await pool.query<{ ref: string; n: string }>(sql, [workspaceId])).rows);
  const outbox = (type: string, ref: string) =>
    counts(`SELECT payload->>'${ref}' AS ref, count(*) AS n FROM conversation.outbox_events WHERE workspace_id = $1 AND type = '${type}' GROUP BY 1`);
  try {
    const learning = await counts(
      `SELECT substring(idempotency_key FROM 12) AS ref, count(*) AS n FROM knowledge.learning_events WHERE workspace_id = $1 AND idempotency_key LIKE 'correction:%' GROUP BY 1`,
    );
    const totals = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM conversation.outbox_events WHERE workspace_id = $1) + (SELECT count(*) FROM knowledge.outbox_events WHERE workspace_id = $1) AS n`,
      [workspaceId],
    );
    return {
      questions: await counts(`SELECT text AS ref, count(*) AS n FROM conversation.messages WHERE workspace_id = $1 AND author = 'customer' GROUP BY 1`),
      questionEvents: await outbox('question_asked', 'text'),
      ratings: await outbox('answer_rated', 'messageId'),
      escalatedEvents: await outbox('escalated', 'conversationId'),
      handOffCommands: await counts(`SELECT conversation_id::text AS ref, count(*) AS n FROM conversation.escalation_commands WHERE workspace_id = $1 AND kind = 'hand_off' GROUP BY 1`),
      offeredSteps: await counts(`SELECT conversation_id::text AS ref, count(*) AS n FROM conversation.escalation_steps WHERE workspace_id = $1 AND kind = 'offered' GROUP BY 1`),
      correctionMessages: await counts(`SELECT corrects_message_id::text AS ref, count(*) AS n FROM conversation.messages WHERE workspace_id = $1 AND corrects_message_id IS NOT NULL GROUP BY 1`),
      correctionLearning: learning,
      correctionEvents: await outbox('answer_corrected', 'correctedMessageId'),
      outboxEvents: Number(totals.rows[0]!.n),
    };
  } finally {
    await pool.end();
  }
}

/** Waits until every outbox event is in the warehouse and every escalation command reached Temporal. */
export async function waitForDrain(databaseUrl: string, timeoutMs: number): Promise<{ drained: boolean; seconds: number; left: Record<string, number> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  const started = Date.now();
  let left: Record<string, number> = {};
  try {
    while (Date.now() - started < timeoutMs) {
      try {
        const { rows } = await pool.query<{ outbox: string; commands: string }>(`SELECT
          (SELECT count(*) FROM conversation.outbox_events WHERE published_at IS NULL) + (SELECT count(*) FROM knowledge.outbox_events WHERE published_at IS NULL)
            + (SELECT count(*) FROM account_context.outbox_events WHERE published_at IS NULL) AS outbox,
          (SELECT count(*) FROM conversation.escalation_commands WHERE dispatched_at IS NULL) AS commands`);
        left = { unpublishedOutboxEvents: Number(rows[0]!.outbox), undispatchedEscalationCommands: Number(rows[0]!.commands) };
        if (left.unpublishedOutboxEvents === 0 && left.undispatchedEscalationCommands === 0) return { drained: true, seconds: (Date.now() - started) / 1000, left };
      } catch {
        // Postgres may still be recovering right after the last fault.
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return { drained: false, seconds: (Date.now() - started) / 1000, left };
  } finally {
    await pool.end();
  }
}

/** Reads the chDB directory; the insights process that owns it must be stopped. */
export async function countWarehouse(warehousePath: string, workspaceId: string): Promise<Stored['warehouse']> {
  const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
  const counts = async (type: string, ref: string) => {
    const result = await warehouse.client.query({
      query: `SELECT ${ref} AS ref, uniqExact(event_id) AS n FROM {database:Identifier}.interaction_events
              WHERE workspace_id = {workspace:UUID} AND event_type = {type:String} GROUP BY ref`,
      query_params: { database: warehouse.database, workspace: workspaceId, type },
      format: 'JSONEachRow',
    });
    return toCounts(await result.json<{ ref: string; n: number }>());
  };
  try {
    const total = await warehouse.client.query({
      query: `SELECT uniqExact(event_id) AS n FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspace:UUID}`,
      query_params: { database: warehouse.database, workspace: workspaceId },
      format: 'JSONEachRow',
    });
    return {
      questions: await counts('question_asked', 'text'),
      ratings: await counts('answer_rated', 'message_id'),
      escalated: await counts('escalated', 'conversation_id'),
      corrections: await counts('answer_corrected', `JSONExtractString(payload, 'correctedMessageId')`),
      events: Number((await total.json<{ n: number }>())[0]?.n ?? 0),
    };
  } finally {
    await warehouse.close();
  }
}

/**
 * Runs per conversation from Temporal's visibility listing, which trails the executions a little: a conversation
 * the listing misses is looked up directly (describe), so it counts as missing only if Temporal has no run of it.
 */
export async function countEscalationRuns(temporalAddress: string, expected: Iterable<string>): Promise<Counts> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new TemporalClient({ connection });
    const runs: Counts = new Map();
    for await (const execution of client.workflow.list({ query: `WorkflowType = '${ESCALATION_WORKFLOW}'` })) {
      const conversationId = execution.workflowId.replace(/^escalation-/, '');
      runs.set(conversationId, (runs.get(conversationId) ?? 0) + 1);
    }
    for (const conversationId of expected) {
      if (runs.has(conversationId)) continue;
      const found = await client.workflow.getHandle(escalationWorkflowId(conversationId)).describe().then(
        () => true,
        () => false,
      );
      if (found) runs.set(conversationId, 1);
    }
    return runs;
  } finally {
    await connection.close();
  }
}

/** Waits until every escalation workflow has run its first step (`offered`): the worker has caught up. */
export async function waitForOfferedSteps(databaseUrl: string, timeoutMs: number): Promise<{ caughtUp: boolean; seconds: number; missing: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  const started = Date.now();
  let missing = -1;
  try {
    while (Date.now() - started < timeoutMs) {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(DISTINCT c.conversation_id) AS n FROM conversation.escalation_commands c
          WHERE c.kind = 'hand_off' AND NOT EXISTS (SELECT 1 FROM conversation.escalation_steps s WHERE s.conversation_id = c.conversation_id AND s.kind = 'offered')`,
      );
      missing = Number(rows[0]!.n);
      if (missing === 0) return { caughtUp: true, seconds: (Date.now() - started) / 1000, missing };
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return { caughtUp: false, seconds: (Date.now() - started) / 1000, missing };
  } finally {
    await pool.end();
  }
}
