/**
 * The asker's context that a conversation-level event carries (a resolution, a reopening, a rating, a request for a
 * person): the plan, page and channel of the conversation's first question, and its language. Insights filter every
 * support figure on these columns of the event itself (raw events and rollups alike), and the README promises the
 * filters apply to the conversation's first question: without them, a resolution disappeared from a figure filtered
 * on its channel, plan, page or language while the questions and times of the same conversation stayed in it.
 */
import type { ConversationEntity } from './conversation.entity';

export function conversationContext(conversation: Pick<ConversationEntity, 'firstPlan' | 'firstPage' | 'channel' | 'language'>): { plan: string; page: string; channel: string; language: string } {
  return { plan: conversation.firstPlan ?? '', page: conversation.firstPage ?? '', channel: conversation.channel ?? '', language: conversation.language ?? '' };
}
