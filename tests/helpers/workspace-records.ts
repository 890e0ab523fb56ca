/**
 * What Postgres holds for one workspace in every table an answer can write to: conversations and messages, the
 * learning loop's question variants, answer outcomes and learning events, and each service's outbox. Tests that
 * claim something records nothing compare these counts before and after.
 */
import { Client } from 'pg';

export interface WorkspaceRecords {
  conversations: number;
  messages: number;
  questionVariants: number;
  answerOutcomes: number;
  learningEvents: number;
  conversationOutbox: number;
  knowledgeOutbox: number;
  accountContextOutbox: number;
}

export async function workspaceRecords(databaseUrl: string, workspaceId: string): Promise<WorkspaceRecords> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<WorkspaceRecords>(
      `SELECT (SELECT count(*)::int FROM conversation.conversations WHERE workspace_id = $1) AS conversations,
              (SELECT count(*)::int FROM conversation.messages WHERE workspace_id = $1) AS messages,
              (SELECT count(*)::int FROM knowledge.question_variants WHERE workspace_id = $1) AS "questionVariants",
              (SELECT count(*)::int FROM knowledge.answer_outcomes WHERE workspace_id = $1) AS "answerOutcomes",
              (SELECT count(*)::int FROM knowledge.learning_events WHERE workspace_id = $1) AS "learningEvents",
              (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $1) AS "conversationOutbox",
              (SELECT count(*)::int FROM knowledge.outbox_events WHERE workspace_id = $1) AS "knowledgeOutbox",
              (SELECT count(*)::int FROM account_context.outbox_events WHERE workspace_id = $1) AS "accountContextOutbox"`,
      [workspaceId],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}
