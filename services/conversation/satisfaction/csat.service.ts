/** Customer satisfaction after resolution: one score from 1 to 5 per conversation, with an optional comment. */
import type { EntityManager } from 'typeorm';
import type { DataSource } from 'typeorm';
import { badInput, conflict } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import type { RequestContext } from '../../shared/request-context';
import { rowsOf } from '../../shared/sql-rows';
import type { ConversationEntity } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';

export class CsatService {
  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationService,
  ) {}

  async rate(
    caller: RequestContext,
    conversationId: string,
    score: number,
    comment: string | null,
    secret?: string,
    remember?: (tx: EntityManager, rated: ConversationEntity) => Promise<void>,
  ): Promise<ConversationEntity> {
    const conversation = await this.conversations.getForCaller(caller, conversationId, secret);
    if (conversation.status !== 'resolved') throw badInput('Satisfaction is asked after resolution; this conversation is not resolved yet');
    return this.db.transaction(async (tx) => {
      const [row] = rowsOf<{ csatAt: Date }>(await tx.query(
        `UPDATE conversation.conversations SET csat_score = $2, csat_comment = $3, csat_at = now()
          WHERE id = $1 AND csat_score IS NULL RETURNING csat_at AS "csatAt"`,
        [conversation.id, score, comment],
      ));
      if (!row) throw conflict('This conversation was already rated for satisfaction');
      await recordEvents(tx, [
        {
          workspaceId: caller.workspaceId,
          type: 'csat_rated',
          payload: {
            conversationId: conversation.id,
            customerId: conversation.customerId ?? '',
            topic: conversation.topic,
            channel: conversation.channel ?? '',
            language: conversation.language ?? '',
            rating: score,
            resolvedBy: conversation.handedOffAt ? 'agent' : 'ai',
          },
        },
      ]);
      const rated = Object.assign(conversation, { csatScore: score, csatComment: comment, csatAt: row.csatAt });
      await remember?.(tx, rated);
      return rated;
    });
  }
}
