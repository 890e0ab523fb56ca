/**
 * What Postgres holds for one workspace in every table an answer can write to: conversations and messages, the
 * learning loop's question variants, answer outcomes and learning events, escalation commands, and each service's
 * outbox. Tests that claim something records nothing compare these counts before and after.
 */
import { Client } from 'pg';
import { eventually } from './eventually';

export interface WorkspaceRecords {
  conversations: number;
  messages: number;
  questionVariants: number;
  answerOutcomes: number;
  learningEvents: number;
  escalationCommands: number;
  conversationOutbox: number;
  knowledgeOutbox: number;
  accountContextOutbox: number;
}

export async function workspaceRecords(databaseUrl: string, workspaceId: string): Promise<WorkspaceRecords> {
  return withClient(databaseUrl, (client) => countRecords(client, workspaceId));
}

/**
 * The counts once earlier work has landed: a hand-off's escalation_offered event is written by the dispatcher, after
 * the ask returned, so a count taken before every command of the workspace was dispatched could grow by itself.
 */
export async function settledWorkspaceRecords(databaseUrl: string, workspaceId: string): Promise<WorkspaceRecords> {
  return withClient(databaseUrl, async (client) => {
    const pending = async () =>
      (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation.escalation_commands WHERE workspace_id = $1 AND dispatched_at IS NULL`, [workspaceId])).rows[0]!.n;
    const left = await eventually(pending, (n) => n === 0, 30_000);
    if (left > 0) throw new Error(`${left} escalation commands of workspace ${workspaceId} were still not dispatched after 30 s`);
    return countRecords(client, workspaceId);
  });
}

async function withClient<T>(databaseUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function countRecords(client: Client, workspaceId: string): Promise<WorkspaceRecords> {
  const { rows } = await client.query<WorkspaceRecords>(
    `SELECT (SELECT count(*)::int FROM conversation.conversations WHERE workspace_id = $1) AS conversations,
            (SELECT count(*)::int FROM conversation.messages WHERE workspace_id = $1) AS messages,
            (SELECT count(*)::int FROM knowledge.question_variants WHERE workspace_id = $1) AS "questionVariants",
            (SELECT count(*)::int FROM knowledge.answer_outcomes WHERE workspace_id = $1) AS "answerOutcomes",
            (SELECT count(*)::int FROM knowledge.learning_events WHERE workspace_id = $1) AS "learningEvents",
            (SELECT count(*)::int FROM conversation.escalation_commands WHERE workspace_id = $1) AS "escalationCommands",
            (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $1) AS "conversationOutbox",
            (SELECT count(*)::int FROM knowledge.outbox_events WHERE workspace_id = $1) AS "knowledgeOutbox",
            (SELECT count(*)::int FROM account_context.outbox_events WHERE workspace_id = $1) AS "accountContextOutbox"`,
    [workspaceId],
  );
  return rows[0]!;
}
