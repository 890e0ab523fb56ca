/** Internal operations the conversation service calls: retrieval for a question, and outcome signals. */
import { Arg, Authorized, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { KnowledgeContext } from '../context';
import { OutcomeService } from '../learning/outcome.service';
import { RetrievalService } from './retrieval.service';
import { RecordOutcomeInput, RetrievalResult, RetrieveForQuestionInput } from './retrieval.types';

@Resolver()
export class RetrievalResolver {
  constructor(
    private readonly retrieval: RetrievalService,
    private readonly outcomes: OutcomeService,
  ) {}

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => RetrievalResult, { description: 'Internal: candidates, confidence and threshold for a question' })
  async retrieveForQuestion(@Arg('input') input: RetrieveForQuestionInput, @Ctx() ctx: KnowledgeContext): Promise<RetrievalResult> {
    return this.retrieval.retrieve(ctx.auth.workspaceId, input.text, {
      plan: input.plan ?? '',
      segments: input.segments ?? [],
      pageAreas: input.pageAreas ?? [],
      contextKeys: input.context ?? [],
      limit: input.limit ?? 5,
      locale: input.locale ?? null,
    });
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal: an outcome signal about an answer' })
  async recordOutcome(@Arg('input') input: RecordOutcomeInput, @Ctx() ctx: KnowledgeContext): Promise<boolean> {
    await this.outcomes.record(ctx.auth.workspaceId, {
      knowledgeItemId: input.knowledgeItemId ? assertUuid(input.knowledgeItemId, 'knowledgeItemId') : null,
      topic: input.topic,
      confidence: input.confidence,
      signal: input.signal,
      correct: input.correct ?? null,
      confirmedQuestion: input.confirmedQuestion ?? null,
      source: input.source ? { kind: input.source, id: input.sourceId ?? '' } : null,
      scale: input.scale ?? 'retrieval',
      secondsToResolution: input.secondsToResolution ?? null,
      contextKeys: input.context ?? [],
      idempotencyKey: input.idempotencyKey ?? null,
    });
    return true;
  }
}
