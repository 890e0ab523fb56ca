/** Knowledge's configuration, parsed once at start-up. */
import { commonEnv, databaseEnv, parseConfig, portEnv } from '../shared/config';

export const knowledgeEnv = { ...commonEnv, ...databaseEnv, ...portEnv('knowledge') };

export type KnowledgeConfig = ReturnType<typeof loadKnowledgeConfig>;

export function loadKnowledgeConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(knowledgeEnv, env);
}
