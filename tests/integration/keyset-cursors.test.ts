/**
 * Keyset pages on the services' real Postgres schemas, with sort times in microseconds (as `now()` writes them):
 * each row comes once, in the list's order, however the pages cut the list. A cursor that cut the time to
 * milliseconds would skip (newest first) or repeat (soonest first) the rows that share a millisecond.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { openAccountContextDatabase } from '../../services/account-context/database';
import { BugService, encodeBugCursor } from '../../services/account-context/bug/bug.service';
import type { AccountContextClient } from '../../services/conversation/clients/account-context';
import { ConversationService, encodeCursor } from '../../services/conversation/conversation/conversation.service';
import { openConversationDatabase } from '../../services/conversation/database';
import { InboxSearchService } from '../../services/conversation/desk/inbox-search.service';
import { EscalationSettingsService } from '../../services/conversation/escalation/escalation-settings.service';
import { useThrowawayDataSource } from '../helpers/database';

const conversationStore = useThrowawayDataSource('loopdesk_it_keyset_conversation', openConversationDatabase);
const accountStore = useThrowawayDataSource('loopdesk_it_keyset_account', openAccountContextDatabase);

const TIMES = ['10:00:00.123456', '10:00:00.123789', '10:00:00.124001', '10:00:00.124999', '10:00:01.000001'];
const at = (time: string): string => `2026-12-06 ${time}+00`;

/** Every id of the list, page by page at each page size, equals the list read whole. */
async function expectEachOnce(whole: string[], page: (first: number, after: string | undefined) => Promise<{ ids: string[]; cursor?: string; hasNextPage: boolean }>) {
  expect(whole).toHaveLength(TIMES.length);
  for (const pageSize of [1, 2, 3]) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < TIMES.length + 1; pages++) {
      const next = await page(pageSize, after);
      seen.push(...next.ids);
      if (!next.hasNextPage) break;
      after = next.cursor;
    }
    expect({ pageSize, seen }).toEqual({ pageSize, seen: whole });
  }
}

it('inbox search pages through conversations handed off within the same millisecond, each once and in order', async () => {
  const { db } = conversationStore;
  const workspaceId = randomUUID();
  const sut = new InboxSearchService(db, new EscalationSettingsService(db, { firstResponseMs: 3_600_000, resolutionMs: 86_400_000, reminderBeforeMs: 600_000, reopenWindowMs: 86_400_000 }));
  for (const time of TIMES) {
    await db.query(`INSERT INTO conversation.conversations (workspace_id, status, topic, hand_off_reason, handed_off_at) VALUES ($1, 'handed_off', 'exports', 'LOW_CONFIDENCE', $2::timestamptz)`, [workspaceId, at(time)]);
  }
  const whole = (await sut.search(workspaceId, {}, 10, undefined)).hits.map((hit) => hit.conversationId);
  await expectEachOnce(whole, async (first, after) => {
    const { hits, hasNextPage } = await sut.search(workspaceId, {}, first, after);
    return { ids: hits.map((hit) => hit.conversationId), cursor: hits.at(-1)?.cursor, hasNextPage };
  });
});

it('the conversation list pages through conversations started within the same millisecond, each once and newest first', async () => {
  const { db } = conversationStore;
  const workspaceId = randomUUID();
  const listsNeverAsk = new Proxy({} as AccountContextClient, {
    get: () => {
      throw new Error('a list does not call account-context');
    },
  });
  const sut = new ConversationService(db, listsNeverAsk);
  const ids: string[] = [];
  for (const time of TIMES) {
    const [row] = await db.query(`INSERT INTO conversation.conversations (workspace_id, status, topic, created_at) VALUES ($1, 'open', 'exports', $2::timestamptz) RETURNING id`, [workspaceId, at(time)]);
    ids.push(row.id);
  }
  const whole = (await sut.list(workspaceId, 10, undefined)).rows.map(({ row }) => row.id);
  expect(whole).toEqual([...ids].reverse());
  await expectEachOnce(whole, async (first, after) => {
    const { rows, hasNextPage } = await sut.list(workspaceId, first, after);
    return { ids: rows.map(({ row }) => row.id), cursor: rows.length ? encodeCursor(rows.at(-1)!) : undefined, hasNextPage };
  });
});

it('the open bugs list pages through bugs opened within the same millisecond, each once and newest first', async () => {
  const { db } = accountStore;
  const [workspace] = await db.query(`INSERT INTO account_context.workspaces (name, customer_token_secret) VALUES ('Keyset', 'secret') RETURNING id`);
  const sut = new BugService(db);
  const ids: string[] = [];
  for (const [i, time] of TIMES.entries()) {
    const [row] = await db.query(
      `INSERT INTO account_context.bugs (workspace_id, source, external_id, title, status, opened_at) VALUES ($1, 'bug_tracker', $2, 'Export fails', 'open', $3::timestamptz) RETURNING id`,
      [workspace.id, `BUG-${i}`, at(time)],
    );
    ids.push(row.id);
  }
  const whole = (await sut.listOpen(workspace.id, {}, 10)).rows.map(({ row }) => row.id);
  expect(whole).toEqual([...ids].reverse());
  await expectEachOnce(whole, async (first, after) => {
    const { rows, hasNextPage } = await sut.listOpen(workspace.id, {}, first, after);
    return { ids: rows.map(({ row }) => row.id), cursor: rows.length ? encodeBugCursor(rows.at(-1)!) : undefined, hasNextPage };
  });
});
