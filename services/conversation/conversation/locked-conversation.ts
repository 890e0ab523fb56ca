/**
 * A conversation read for a change of its status, under its row lock: a status change decides on the row as it is
 * now (another request may have resolved it or handed it off since the caller first read it), and writes only the
 * columns it changes, so it never puts back values another request changed meanwhile.
 */
import type { EntityManager } from 'typeorm';
import { notFound } from '../../shared/errors';
import { ConversationEntity } from './conversation.entity';

export async function lockedConversation(tx: EntityManager, workspaceId: string, conversationId: string): Promise<ConversationEntity> {
  const conversation = await tx.getRepository(ConversationEntity).findOne({ where: { id: conversationId, workspaceId }, lock: { mode: 'pessimistic_write' } });
  if (!conversation) throw notFound('Conversation', conversationId);
  return conversation;
}

/** Writes `changes` to the locked conversation and returns it with them. */
export async function changeConversation(tx: EntityManager, conversation: ConversationEntity, changes: Partial<Pick<ConversationEntity, 'status' | 'resolvedAt' | 'handOffReason' | 'handedOffAt'>>): Promise<ConversationEntity> {
  await tx.getRepository(ConversationEntity).update({ id: conversation.id, workspaceId: conversation.workspaceId }, changes);
  return Object.assign(conversation, changes);
}
