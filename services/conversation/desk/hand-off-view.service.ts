/** The agent's view of a hand-off: which AI turn, why, against what threshold, from what candidate and context. */
import type { DataSource } from 'typeorm';
import type { ConversationEntity } from '../conversation/conversation.entity';
import { HandOffReason } from '../conversation/conversation.types';
import { MessageEntity } from '../conversation/message.entity';

export interface HandOffFacts {
  reason: HandOffReason;
  explanation: string;
  message: MessageEntity | null;
}

const pct = (value: number | null) => (value === null ? 'unknown' : value.toFixed(2));

export function explain(reason: HandOffReason, turn: (Pick<MessageEntity, 'confidence' | 'threshold' | 'topic'> & Partial<Pick<MessageEntity, 'askerContext'>>) | null): string {
  const topic = turn?.topic ? `"${turn.topic}"` : 'its topic';
  switch (reason) {
    case HandOffReason.LOW_CONFIDENCE:
      return `The AI's confidence ${pct(turn?.confidence ?? null)} was under the threshold ${pct(turn?.threshold ?? null)} learned for ${topic}`;
    case HandOffReason.STALE_KNOWLEDGE:
      return 'The best match was flagged stale by a product change and waits for review';
    case HandOffReason.NO_KNOWLEDGE:
      return 'No knowledge the asker may see matched the question';
    case HandOffReason.CUSTOMER_ASKED:
      return 'The customer asked for a person';
    case HandOffReason.POLICY:
      return `The workspace's policy hands ${topic} off to a person`;
    case HandOffReason.SENSITIVE_KNOWLEDGE:
      return `The best match is marked sensitive and the confidence ${pct(turn?.confidence ?? null)} was under the sensitive bar`;
    case HandOffReason.UNSUPPORTED_LANGUAGE:
      return "No knowledge is written in the customer's language, and no answer model is configured to translate";
    case HandOffReason.KNOWN_ISSUE: {
      const title = turn?.askerContext?.knownIssue?.title;
      return `The question is about an open bug that affects the customer${title ? `: "${title}"` : ''}`;
    }
    default: {
      const unknown: never = reason;
      return String(unknown);
    }
  }
}

export class HandOffViewService {
  constructor(private readonly db: DataSource) {}

  async of(conversation: ConversationEntity): Promise<HandOffFacts | null> {
    if (!conversation.handedOffAt || !conversation.handOffReason) return null;
    const messages = this.db.getRepository(MessageEntity);
    const where = { workspaceId: conversation.workspaceId, conversationId: conversation.id, author: 'ai' as const };
    const turn =
      (conversation.handOffReason === HandOffReason.CUSTOMER_ASKED ? null : await messages.findOne({ where: { ...where, decision: 'handed_off' }, order: { seq: 'DESC' } })) ??
      (await messages.findOne({ where, order: { seq: 'DESC' } }));
    const reason = (turn?.handOffReason ?? conversation.handOffReason) as HandOffReason;
    return { reason, explanation: explain(reason, turn), message: turn };
  }
}
