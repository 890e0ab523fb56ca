/**
 * The ask path: who is asking and from where → what knowledge says → answer or hand off → write the answer →
 * record the turn and its events in one transaction → tell knowledge what was shown. Also the admin preview:
 * the same path without recording or learning anything.
 */
import { DataSource, EntityManager } from 'typeorm';
import { bucketsOf, contextKeys } from '../../shared/asker-buckets';
import { badInput } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { rowsOf } from '../../shared/sql-rows';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextClient, AskerContext } from '../clients/account-context';
import type { Answerer, WrittenAnswer } from '../answering/answerer';
import type { AnswerMetrics } from './answer-metrics';
import { Decision, decide, handOffUnsupportedLanguage } from './answer-policy';
import type { ConversationEntity } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import { AnswerDecision, HandOffReason } from '../conversation/conversation.types';
import type { CitationRecord, MessageEntity } from '../conversation/message.entity';
import { newConversationSecret } from '../conversation/conversation-secret';
import { type OutcomeReporter, voterOf } from '../conversation/outcome-reporter';
import type { LanguageRoute, QuestionLanguage } from '../language/question-language';
import { contextRecord, customerReply, knownIssueOf, withKnownIssue } from './known-issue-turn';
import { RESOLVED_CONVERSATION, Turn, WrittenTurn, writeTurn } from './turn-writes';

export interface AskCommand {
  conversationId?: string;
  /** Required to continue an anonymous visitor's conversation. */
  conversationSecret?: string;
  text: string;
  page?: string;
  channel?: string;
}

export interface AskResult {
  conversation: ConversationEntity;
  message: MessageEntity;
  decision: AnswerDecision;
  handOffReason: HandOffReason | null;
  confidence: number;
  latencyMs: number;
  /** Only when this ask started an anonymous visitor's conversation: what continues it. Returned once. */
  conversationSecret: string | null;
}

export interface Preview {
  /** The question's language, as detected. */
  language: string;
  decision: Decision;
  written: WrittenAnswer | null;
  citations: CitationRecord[];
}

export interface AskSettings {
  maxQuestionBytes: number;
  repeatContactWindowHours: number;
}

const CANDIDATES_FOR_ANSWER = 3;
const REPEAT_SIMILARITY = 0.45;

export class AskService {
  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationService,
    private readonly accountContext: AccountContextClient,
    private readonly answerer: Answerer,
    private readonly outcomes: OutcomeReporter,
    private readonly settings: AskSettings,
    private readonly logger: Logger,
    private readonly metrics: AnswerMetrics,
    private readonly languages: QuestionLanguage,
  ) {}

  validateQuestion(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) throw badInput('text must not be empty');
    const bytes = Buffer.byteLength(trimmed, 'utf8');
    if (bytes > this.settings.maxQuestionBytes) throw badInput(`text is ${bytes} bytes; at most ${this.settings.maxQuestionBytes} are allowed`);
    return trimmed;
  }

  /** `remember` runs last inside the turn's transaction (an idempotency key, see idempotency/idempotency-keys.ts). */
  async ask(caller: RequestContext, command: AskCommand, remember?: (tx: EntityManager, result: AskResult) => Promise<void>): Promise<AskResult> {
    const started = performance.now();
    const text = this.validateQuestion(command.text);
    const page = command.page ?? null;
    const existing = command.conversationId ? await this.conversations.getForCaller(caller, command.conversationId, command.conversationSecret) : null;
    if (existing?.status === 'resolved') throw badInput(RESOLVED_CONVERSATION);
    const customerId = existing?.customerId ?? (caller.customerId ? await this.accountContext.ensureCustomer(caller.workspaceId, caller.customerId) : null);
    const context = customerId ? await this.askerContext(caller.workspaceId, customerId, page) : null;
    // Where the asker is (plan, billing state, tenure, page areas): what a scoped correction and outcomes in context depend on.
    const buckets = bucketsOf(context, page);
    const keys = contextKeys(buckets);
    const audience = { plan: context?.plan ?? null, segments: context?.segments ?? [], pageAreas: buckets.pageAreas, context: keys };
    const route = await this.languages.route(caller.workspaceId, text, audience, existing?.language ?? null);
    const { language } = route;
    const knownIssue = knownIssueOf(text, context);
    const verdict = withKnownIssue(decideFor(text, route), knownIssue);
    const { written, citations } = await this.write(text, verdict, route, context, page);
    const answered = verdict.decision === AnswerDecision.ANSWERED;
    const secret = !existing && customerId === null ? newConversationSecret() : null;

    const handingOff = !answered && existing?.status !== 'handed_off';
    const latencyMs = Math.round(performance.now() - started);
    const turn: Turn = {
      workspaceId: caller.workspaceId,
      conversation: existing
        ? { existing }
        : {
            started: {
              workspaceId: caller.workspaceId,
              customerId,
              channel: command.channel ?? null,
              secretHash: secret?.hash ?? null,
              firstTopic: verdict.topic,
              firstPlan: context?.plan ?? '',
              firstPage: page ?? '',
            },
          },
      topic: verdict.topic,
      language,
      handOff: handingOff ? { reason: verdict.handOffReason } : null,
      question: { author: 'customer', authorId: caller.subject, text, page, citations: [], topic: verdict.topic, language },
      answer: {
        author: 'ai',
        text: customerReply(written, verdict, knownIssue, language, existing?.status === 'handed_off'),
        page,
        confidence: verdict.confidence,
        confidenceScale: route.retrieval.scale ?? null,
        decision: verdict.decision,
        handOffReason: verdict.handOffReason,
        citations,
        topic: verdict.topic,
        candidateItemId: verdict.best?.knowledgeItemId ?? null,
        writer: written?.writer ?? null,
        askerContext: contextRecord(context, knownIssue),
        contextKeys: keys,
        threshold: verdict.threshold,
      },
      escalate: answered ? null : { reason: verdict.handOffReason ?? '' },
      events: ({ conversationId, questionId, answerId }) => {
        const common = { conversationId, customerId: customerId ?? '', page: page ?? '', channel: existing ? (existing.channel ?? '') : (command.channel ?? ''), topic: verdict.topic, plan: context?.plan ?? '', language };
        return [
          { workspaceId: caller.workspaceId, type: 'question_asked', payload: { ...common, messageId: questionId, text, followUp: existing !== null } },
          {
            workspaceId: caller.workspaceId,
            type: answered ? 'answer_shown' : 'handed_off',
            payload: {
              ...common,
              messageId: answerId,
              // The question again, so a hand-off can be read (and clustered into knowledge gaps) on its own.
              text: answered ? '' : text,
              knowledgeItemId: answered ? (citations[0]?.knowledgeItemId ?? '') : '',
              confidence: verdict.confidence,
              decision: verdict.decision,
              handOffReason: verdict.handOffReason ?? '',
              latencyMs,
              writer: written?.writer ?? '',
              fallbackReason: written?.fallbackReason ?? '',
              knownIssue: knownIssue?.title ?? '',
            },
          },
        ];
      },
    };
    const toResult = (wrote: WrittenTurn): AskResult => ({
      conversation: wrote.conversation,
      message: wrote.answer,
      decision: verdict.decision,
      handOffReason: verdict.handOffReason,
      confidence: verdict.confidence,
      latencyMs,
      conversationSecret: secret?.secret ?? null,
    });
    // Without an idempotency key to remember, the turn's one statement is its own transaction.
    const result = remember
      ? await this.db.transaction(async (tx) => {
          const turnResult = toResult(await writeTurn(tx, turn));
          await remember(tx, turnResult);
          return turnResult;
        })
      : toResult(await writeTurn(this.db, turn));

    this.metrics.record(result.decision, result.handOffReason, result.latencyMs);
    if (answered) await this.outcomes.report(caller.workspaceId, result.message, 'shown', voterOf(result.conversation));
    if (!existing && customerId) await this.countRepeatContact(caller.workspaceId, customerId, result.conversation.id, text);
    return result;
  }

  /** `plan` and `page`: answer as for an asker on that plan, asking from that page (no account, so no billing state or tenure). */
  async preview(workspaceId: string, text: string, plan: string | null, page: string | null = null): Promise<Preview> {
    const question = this.validateQuestion(text);
    const buckets = bucketsOf(plan ? { plan, billingState: null } : null, page);
    const audience = { plan, segments: [], pageAreas: buckets.pageAreas, context: contextKeys(buckets) };
    const route = await this.languages.route(workspaceId, question, audience, null);
    const decision = decideFor(question, route);
    const { written, citations } = await this.write(question, decision, route, plan ? { plan, billingState: null, signedUpAt: null, segments: [], openBugs: [] } : null, page);
    return { language: route.language, decision, written, citations };
  }

  private async write(question: string, verdict: Decision, { retrieval, translatedTo }: LanguageRoute, context: AskerContext | null, page: string | null) {
    if (verdict.decision !== AnswerDecision.ANSWERED) return { written: null, citations: [] as CitationRecord[] };
    const passages = retrieval.candidates.slice(0, CANDIDATES_FOR_ANSWER).map((c) => ({
      passageId: c.passageId,
      knowledgeItemId: c.knowledgeItemId,
      itemVersion: c.itemVersion,
      title: c.title,
      text: c.passageText,
    }));
    const written = await this.answerer.answer({
      question,
      passages,
      context: { plan: context?.plan ?? undefined, billingState: context?.billingState ?? undefined, openBugs: context?.openBugs, page: page ?? undefined },
    });
    const citations = written.citedPassageIds.flatMap((id) => {
      const passage = passages.find((p) => p.passageId === id);
      if (!passage) return [];
      // An answer written in the customer's language from knowledge in another one says so in its citations.
      return [{ knowledgeItemId: passage.knowledgeItemId, itemVersion: passage.itemVersion, passageId: passage.passageId, passage: passage.text, ...(translatedTo ? { translatedFrom: translatedTo } : {}) }];
    });
    return { written, citations };
  }

  /** Account context makes answers better but must not stop them: without it the AI answers for every plan. */
  private async askerContext(workspaceId: string, customerId: string, page: string | null): Promise<AskerContext | null> {
    try {
      return await this.accountContext.questionContext(workspaceId, customerId, page);
    } catch (error) {
      this.logger.warn({ err: error }, 'account context unavailable; answering without it');
      return null;
    }
  }

  /**
   * The same customer asking a similar question again within the window means the earlier answer did not
   * settle it: that counts against the earlier answer, once.
   */
  private async countRepeatContact(workspaceId: string, customerId: string, conversationId: string, text: string): Promise<void> {
    const earlier = rowsOf<MessageEntity>(await this.db.query(
      `UPDATE conversation.messages answer SET repeat_counted = true
         FROM conversation.messages question, conversation.conversations c
        WHERE c.workspace_id = $1 AND c.customer_id = $2 AND c.id <> $3
          AND c.created_at > now() - make_interval(hours => $5)
          AND answer.conversation_id = c.id AND answer.author = 'ai' AND answer.decision = 'answered' AND NOT answer.repeat_counted
          AND question.conversation_id = c.id AND question.author = 'customer' AND question.seq = answer.seq - 1
          AND public.similarity(question.text, $4) >= ${REPEAT_SIMILARITY}
        RETURNING answer.id, answer.citations, answer.topic, answer.confidence, answer.confidence_scale AS "confidenceScale", answer.outcome, answer.candidate_item_id AS "candidateItemId",
                  answer.context_keys AS "contextKeys"`,
      [workspaceId, customerId, conversationId, text, this.settings.repeatContactWindowHours],
    ));
    for (const message of earlier) await this.outcomes.report(workspaceId, message, 'repeat_contact', { kind: 'customer', id: customerId });
  }
}

function decideFor(question: string, route: LanguageRoute): Decision {
  return route.unsupported ? handOffUnsupportedLanguage(route.retrieval) : decide(question, route.retrieval);
}
