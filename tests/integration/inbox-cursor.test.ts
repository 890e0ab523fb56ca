/**
 * Inbox search's pages on the conversation service's real Postgres schema, with hand-off times in microseconds (as
 * `now()` writes them): each conversation comes once, in due order, however the pages cut the list.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { InboxSearchService } from '../../services/conversation/desk/inbox-search.service';
import { EscalationSettingsService } from '../../services/conversation/escalation/escalation-settings.service';
import { openConversationDatabase } from '../../services/conversation/database';
import { useThrowawayDataSource } from '../helpers/database';

const store = useThrowawayDataSource('loopdesk_it_inbox_cursor', openConversationDatabase);

it('pages through conversations handed off within the same millisecond, each once and in order', async () => {
  const workspaceId = randomUUID();
  const sut = new InboxSearchService(store.db, new EscalationSettingsService(store.db, { firstResponseMs: 3_600_000, resolutionMs: 86_400_000, reminderBeforeMs: 600_000, reopenWindowMs: 86_400_000 }));
  const times = ['10:00:00.123456', '10:00:00.123789', '10:00:00.124001', '10:00:00.124999', '10:00:01.000001'];
  const ids: string[] = [];
  for (const time of times) {
    const [row] = await store.db.query(
      `INSERT INTO conversation.conversations (workspace_id, status, topic, hand_off_reason, handed_off_at) VALUES ($1, 'handed_off', 'exports', 'LOW_CONFIDENCE', $2::timestamptz) RETURNING id`,
      [workspaceId, `2026-12-06 ${time}+00`],
    );
    ids.push(row.id);
  }
  const whole = await sut.search(workspaceId, {}, 10, undefined);
  expect(whole.hits).toHaveLength(times.length);
  for (const pageSize of [1, 2, 3]) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < times.length + 1; pages++) {
      const page = await sut.search(workspaceId, {}, pageSize, after);
      seen.push(...page.hits.map((hit) => hit.conversationId));
      if (!page.hasNextPage) break;
      after = page.hits.at(-1)!.cursor;
    }
    expect({ pageSize, seen }).toEqual({ pageSize, seen: whole.hits.map((hit) => hit.conversationId) });
  }
  expect(new Set(whole.hits.map((hit) => hit.conversationId))).toEqual(new Set(ids));
});
