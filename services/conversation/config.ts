/** Conversation's configuration, parsed once at start-up. */
import { z } from 'zod';
import { answeringEnv } from './answering/config';
import { commonEnv, databaseEnv, parseConfig, peerUrlsEnv, portEnv } from '../shared/config';

export const conversationEnv = {
  ...commonEnv,
  ...databaseEnv,
  ...portEnv('conversation'),
  KNOWLEDGE_URL: peerUrlsEnv.KNOWLEDGE_URL,
  ACCOUNT_CONTEXT_URL: peerUrlsEnv.ACCOUNT_CONTEXT_URL,
  ...answeringEnv,
  MAX_QUESTION_BYTES: z.coerce.number().int().min(16).max(1_000_000).default(4096),
  REPEAT_CONTACT_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(72),
};

export type ConversationConfig = ReturnType<typeof loadConversationConfig>;

export function loadConversationConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(conversationEnv, env);
}
