/** Conversation's tables live in the Postgres schema "conversation". */
import { openServiceDatabase } from '../shared/database';
import { OutboxEventEntity } from '../shared/outbox';
import { ConversationEntity } from './conversation/conversation.entity';
import { MessageEntity } from './conversation/message.entity';
import { Initial1764100000000 } from './migrations/1764100000000-initial';
import { LearningLoop1764200000000 } from './migrations/1764200000000-learning-loop';
import { Escalations1764300000000 } from './migrations/1764300000000-escalations';
import { ConversationChannel1764400000000 } from './migrations/1764400000000-conversation-channel';
import { ConversationSecrets1764600000000 } from './migrations/1764600000000-conversation-secrets';
import { ConfidenceScale1764700000000 } from './migrations/1764700000000-confidence-scale';
import { IdempotencyKeys1764710000000 } from './migrations/1764710000000-idempotency-keys';
import { AgentDesk1764720000001 } from './migrations/1764720000001-agent-desk';
import { DeskSearchAndView1764720000002 } from './migrations/1764720000002-desk-search-and-view';
import { ConversationLanguage1764730000001 } from './migrations/1764730000001-conversation-language';
import { Satisfaction1764740000001 } from './migrations/1764740000001-satisfaction';
import { ConversationFirsts1764760300000 } from './migrations/1764760300000-conversation-firsts';
import { OutboxPruneIndex1764760400000 } from './migrations/1764760400000-outbox-prune-index';
import { ContextKeys1764760500000 } from './migrations/1764760500000-context-keys';
import { OutboxPositionNotUnique1764761300000 } from './migrations/1764761300000-outbox-position-not-unique';

const CONVERSATION_SCHEMA = 'conversation';

export function openConversationDatabase(url: string) {
  return openServiceDatabase({
    url,
    schema: CONVERSATION_SCHEMA,
    entities: [ConversationEntity, MessageEntity, OutboxEventEntity],
    migrations: [Initial1764100000000, LearningLoop1764200000000, Escalations1764300000000, ConversationChannel1764400000000, ConversationSecrets1764600000000, ConfidenceScale1764700000000, IdempotencyKeys1764710000000, AgentDesk1764720000001, DeskSearchAndView1764720000002, ConversationLanguage1764730000001, Satisfaction1764740000001, ConversationFirsts1764760300000, OutboxPruneIndex1764760400000, ContextKeys1764760500000, OutboxPositionNotUnique1764761300000],
  });
}
