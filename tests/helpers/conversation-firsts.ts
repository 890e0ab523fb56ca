/**
 * Warehouse fixtures as conversation records them: the first reply from a person and the first resolution of each
 * conversation carry its start, their duration and its first question's dimensions (see
 * services/conversation/conversation/conversation-firsts.ts). Worked out here from the fixture's own events.
 */
import type { InteractionEvent } from '../../analytics/event-writer';

const HAND_OFFS = new Set(['handed_off', 'escalated']);
const REPLIES = new Set(['agent_replied', 'answer_corrected']);

/**
 * The events, with each conversation's first reply and first resolution stamped as conversation stamps them, and
 * each question after a conversation's first marked `followUp: true` as ask marks it (the first: `followUp: false`).
 */
export function stampFirsts(events: readonly InteractionEvent[]): InteractionEvent[] {
  const byConversation = new Map<string, InteractionEvent[]>();
  for (const event of events) {
    if (!event.conversationId) continue;
    const key = `${event.workspaceId}/${event.conversationId}`;
    byConversation.set(key, [...(byConversation.get(key) ?? []), event]);
  }
  const stamped = new Map<InteractionEvent, InteractionEvent>();
  for (const conversation of byConversation.values()) {
    const inOrder = [...conversation].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const question = inOrder.find((e) => e.eventType === 'question_asked');
    if (!question) continue;
    for (const asked of inOrder.filter((e) => e.eventType === 'question_asked')) {
      if (asked.payload?.followUp === undefined) stamped.set(asked, { ...asked, payload: { ...asked.payload, followUp: asked !== question } });
    }
    const firstOf = (types: Set<string>) => inOrder.find((e) => types.has(e.eventType));
    const handOff = firstOf(HAND_OFFS);
    const reply = firstOf(REPLIES);
    const resolution = firstOf(new Set(['resolved']));
    const started = question.occurredAt.getTime();
    const first = {
      conversationStartedAt: question.occurredAt.toISOString(),
      firstTopic: question.topic ?? '',
      firstPlan: question.plan ?? '',
      firstPage: question.page ?? '',
      firstChannel: question.channel ?? '',
      firstLanguage: String(question.payload?.language ?? ''),
    };
    if (reply) {
      const responded = handOff && handOff.occurredAt <= reply.occurredAt ? { firstResponseMs: reply.occurredAt.getTime() - handOff.occurredAt.getTime() } : {};
      stamped.set(reply, { ...reply, payload: { ...reply.payload, ...first, ...responded } });
    }
    if (resolution) {
      stamped.set(resolution, { ...resolution, payload: { ...resolution.payload, ...first, resolutionMs: Math.max(0, resolution.occurredAt.getTime() - started) } });
    }
  }
  return events.map((event) => stamped.get(event) ?? event);
}
