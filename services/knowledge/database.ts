/** Knowledge's tables live in the Postgres schema "knowledge". */
import { openServiceDatabase } from '../shared/database';
import { OutboxEventEntity } from '../shared/outbox';
import { KnowledgeItemEntity } from './knowledge-item/knowledge-item.entity';
import { PassageEntity } from './knowledge-item/passage.entity';
import { Initial1764100000000 } from './migrations/1764100000000-initial';
import { LearningLoop1764200000000 } from './migrations/1764200000000-learning-loop';
import { ProductChangeReviews1764300000000 } from './migrations/1764300000000-product-change-reviews';
import { LexemeStats1764400000000 } from './migrations/1764400000000-lexeme-stats';
import { SupersededBy1764500000000 } from './migrations/1764500000000-superseded-by';
import { LearningTrust1764600000001 } from './migrations/1764600000001-learning-trust';
import { Bm25Ranking1764660000000 } from './migrations/1764660000000-bm25-ranking';
import { SensitiveKnowledge1764660100000 } from './migrations/1764660100000-sensitive-knowledge';
import { LearningFreeze1764670000000 } from './migrations/1764670000000-learning-freeze';
import { ConfidenceScales1764700000000 } from './migrations/1764700000000-confidence-scales';
import { ImplicitOutcomes1764740000000 } from './migrations/1764740000000-implicit-outcomes';
import { KnowledgeLocale1764730000000 } from './migrations/1764730000000-knowledge-locale';
import { OutboxPruneIndex1764760400000 } from './migrations/1764760400000-outbox-prune-index';
import { ContextLearning1764760500000 } from './migrations/1764760500000-context-learning';
import { VariantAskedContext1764760600000 } from './migrations/1764760600000-variant-asked-context';
import { PassageRevisions1764760800000 } from './migrations/1764760800000-passage-revisions';
import { IntentModelEpochs1764761000000 } from './migrations/1764761000000-intent-model-epochs';
import { OutcomeReceipts1764761100000 } from './migrations/1764761100000-outcome-receipts';
import { OutboxPositionNotUnique1764761300000 } from './migrations/1764761300000-outbox-position-not-unique';

export const KNOWLEDGE_SCHEMA = 'knowledge';

export function openKnowledgeDatabase(url: string) {
  return openServiceDatabase({
    url,
    schema: KNOWLEDGE_SCHEMA,
    entities: [KnowledgeItemEntity, PassageEntity, OutboxEventEntity],
    migrations: [
      Initial1764100000000,
      LearningLoop1764200000000,
      ProductChangeReviews1764300000000,
      LexemeStats1764400000000,
      SupersededBy1764500000000,
      LearningTrust1764600000001,
      Bm25Ranking1764660000000,
      SensitiveKnowledge1764660100000,
      LearningFreeze1764670000000,
      ConfidenceScales1764700000000,
      KnowledgeLocale1764730000000,
      ImplicitOutcomes1764740000000,
      OutboxPruneIndex1764760400000,
      ContextLearning1764760500000,
      VariantAskedContext1764760600000,
      PassageRevisions1764760800000,
      IntentModelEpochs1764761000000,
      OutcomeReceipts1764761100000,
      OutboxPositionNotUnique1764761300000,
    ],
  });
}
