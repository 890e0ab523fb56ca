/** Builds the conversation subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { buildFederatedSchema } from '../shared/federation';
import { InFlightLimit } from '../shared/in-flight-limit';
import { LatencyLimit } from '../shared/latency-limit';
import { InternalGraphQLClient } from '../shared/internal-client';
import type { PgNotifications } from '../shared/pg-notifications';
import type { Registry } from 'prom-client';
import type { Logger } from '../shared/logger';
import { AnswerMetrics } from './ask/answer-metrics';
import { workspaceStubReference } from '../shared/workspace-reference';
import { createAnswerer, createTranslator } from './answering/create-answerer';
import { LanguageDetector } from './language/language-detector';
import { QuestionLanguage } from './language/question-language';
import { AccountContextClient } from './clients/account-context';
import { askerContextCacheListening } from './clients/account-context-changes';
import { KnowledgeClient } from './clients/knowledge';
import type { ConversationConfig } from './config';
// type-graphql prints fields in the order their modules load: these two first keeps the schema's field order.
import { AskResolver } from './ask/ask.resolver';
import { CustomerSignalsResolver } from './customer-signals/customer-signals.resolver';
import { AgentActionsService } from './agent-actions/agent-actions.service';
import { AgentResolver } from './agent-actions/agent-actions.resolver';
import { AssignmentResolver } from './assignment/assignment.resolver';
import { AssignmentService } from './assignment/assignment.service';
import { ClaimGuard } from './assignment/claim-guard';
import { AskService } from './ask/ask.service';
import { ConversationResolver, conversationReference } from './conversation/conversation.resolver';
import { ConversationService } from './conversation/conversation.service';
import { CustomerSignalsService } from './customer-signals/customer-signals.service';
import { OutcomeReporter } from './conversation/outcome-reporter';
import { registerBacklogMetrics } from './escalation/backlog-metrics';
import { EscalationClient } from './escalation/escalation-client';
import { EscalationDispatcher } from './escalation/escalation-dispatcher';
import { EscalationResolver } from './escalation/escalation.resolver';
import { EscalationSettingsService } from './escalation/escalation-settings.service';
import { EscalationStepsService } from './escalation/escalation-steps.service';
import { lazyTemporalClient } from '../shared/temporal-connection';
import { DeskResolver } from './desk/desk.resolver';
import { HandOffViewService } from './desk/hand-off-view.service';
import { InboxSearchService } from './desk/inbox-search.service';
import { AccountHistoryResolver, CustomerHistoryResolver, accountStubReference, customerStubReference } from './history/customer-history.resolver';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { IdempotentWrites } from './idempotency/idempotent-writes';
import { CsatService } from './satisfaction/csat.service';
import { DropOffSweep } from './satisfaction/drop-off-sweep';
import { SatisfactionResolver } from './satisfaction/satisfaction.resolver';
import { SatisfactionSettingsService } from './satisfaction/satisfaction-settings.service';
import { WorkspaceConversationsResolver } from './workspace/workspace.resolver';
import { Workspace } from './workspace/workspace.types';
import { Account } from './conversation/conversation.types';

export interface ConversationServices {
  conversations: ConversationService;
  asking: AskService;
  /** Bounds the asks in flight in this process (learned, at most MAX_CONCURRENT_ASKS); the excess is refused, not queued. */
  askSlots: InFlightLimit;
  signals: CustomerSignalsService;
  agentActions: AgentActionsService;
  assignments: AssignmentService;
  inboxSearch: InboxSearchService;
  handOffViews: HandOffViewService;
  escalationSettings: EscalationSettingsService;
  escalationSteps: EscalationStepsService;
  /** Null when escalations are disabled. */
  dispatcher: EscalationDispatcher | null;
  temporal: { close(): Promise<void> } | null;
  /** Hears account-context's changes for the askers' context cache; null when the cache is off (ASKER_CONTEXT_CACHE_MS=0). */
  accountContextChanges: PgNotifications | null;
  idempotencyKeys: IdempotencyKeys;
  idempotentWrites: IdempotentWrites;
  satisfactionSettings: SatisfactionSettingsService;
  csat: CsatService;
  dropOffs: DropOffSweep;
}

export function createConversationServices(db: DataSource, config: ConversationConfig, logger: Logger, registry?: Registry): ConversationServices {
  const knowledge = new KnowledgeClient(new InternalGraphQLClient(config.KNOWLEDGE_URL, config.INTERNAL_HMAC_SECRET));
  const askerContexts = config.ASKER_CONTEXT_CACHE_MS > 0 ? askerContextCacheListening(config.DATABASE_URL, config.ASKER_CONTEXT_CACHE_MS, logger, registry) : null;
  const accountContext = new AccountContextClient(new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, config.INTERNAL_HMAC_SECRET), askerContexts?.cache ?? null);
  const conversations = new ConversationService(db, accountContext);
  const claims = new ClaimGuard(accountContext);
  if (registry) registerBacklogMetrics(db, registry);
  const outcomes = new OutcomeReporter(db, knowledge, logger);
  const detector = new LanguageDetector();
  // Loaded now so that the first question does not wait for the language model; a failure shows on that question.
  detector.load().catch((error: unknown) => logger.error({ err: error }, 'language detection model failed to load'));
  const languages = new QuestionLanguage(detector, knowledge, createTranslator(config, logger));
  const answerMetrics = new AnswerMetrics(registry);
  const asking = new AskService(db, conversations, accountContext, createAnswerer(config, logger), outcomes, {
    maxQuestionBytes: config.MAX_QUESTION_BYTES,
    repeatContactWindowHours: config.REPEAT_CONTACT_WINDOW_HOURS,
  }, logger, answerMetrics, languages);
  const askSlots = new InFlightLimit({
    limit: config.MAX_CONCURRENT_ASKS,
    adaptive: config.ASK_LATENCY_TOLERANCE > 0 ? new LatencyLimit({ max: config.MAX_CONCURRENT_ASKS, tolerance: config.ASK_LATENCY_TOLERANCE }) : undefined,
    refusal: 'This service is answering as many questions as it can right now',
    // A slot frees as soon as one ask in flight finishes, well within a second: the shortest hint HTTP allows.
    retryAfterSeconds: 1,
    onRefused: () => answerMetrics.shedAsks.inc(),
  });
  answerMetrics.watchAskBound(() => askSlots.limit);
  const escalationSettings = new EscalationSettingsService(db, {
    firstResponseMs: config.ESCALATION_FIRST_RESPONSE_MS,
    resolutionMs: config.ESCALATION_RESOLUTION_MS,
    reminderBeforeMs: config.ESCALATION_REMINDER_BEFORE_MS,
    reopenWindowMs: config.ESCALATION_REOPEN_WINDOW_MS,
  });
  const escalationSteps = new EscalationStepsService(db);
  const temporal = config.ESCALATIONS_ENABLED ? lazyTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE) : null;
  const dispatcher = temporal ? new EscalationDispatcher(db, () => temporal.get(), config.TEMPORAL_TASK_QUEUE, escalationSettings, escalationSteps, logger, { listenUrl: config.DATABASE_URL }) : null;
  const escalations = temporal && dispatcher ? new EscalationClient(() => temporal.get(), dispatcher) : null;
  const idempotencyKeys = new IdempotencyKeys(db, config.IDEMPOTENCY_KEY_TTL_HOURS);
  const satisfactionSettings = new SatisfactionSettingsService(db, config.DROP_OFF_WINDOW_MS);
  return {
    conversations,
    asking,
    askSlots,
    signals: new CustomerSignalsService(db, conversations, outcomes),
    agentActions: new AgentActionsService(db, conversations, knowledge, outcomes, escalations, claims),
    assignments: new AssignmentService(db, conversations, accountContext, claims),
    inboxSearch: new InboxSearchService(db, escalationSettings),
    handOffViews: new HandOffViewService(db),
    escalationSettings,
    escalationSteps,
    dispatcher,
    temporal,
    accountContextChanges: askerContexts?.changes ?? null,
    idempotencyKeys,
    idempotentWrites: new IdempotentWrites(idempotencyKeys, db),
    satisfactionSettings,
    csat: new CsatService(db, conversations),
    dropOffs: new DropOffSweep(db, outcomes, satisfactionSettings.defaultDropOffWindowMs),
  };
}

export function buildConversationSchema(services: ConversationServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      new ConversationResolver(services.conversations),
      new AskResolver(services.asking, services.askSlots, services.idempotentWrites),
      new CustomerSignalsResolver(services.signals, services.idempotentWrites),
      new AgentResolver(services.conversations, services.agentActions, services.idempotentWrites),
      new AssignmentResolver(services.assignments),
      new WorkspaceConversationsResolver(services.conversations),
      new CustomerHistoryResolver(services.conversations),
      new AccountHistoryResolver(services.conversations),
      new DeskResolver(services.conversations, services.inboxSearch, services.handOffViews),
      new EscalationResolver(services.escalationSettings, services.escalationSteps, services.agentActions),
      new SatisfactionResolver(services.satisfactionSettings, services.csat, services.idempotentWrites),
    ],
    orphanedTypes: [Workspace, Account],
    referenceResolvers: {
      Conversation: conversationReference(services.conversations),
      Workspace: workspaceStubReference,
      Customer: customerStubReference,
      Account: accountStubReference,
    },
  });
}
