/** Knowledge's configuration, parsed once at start-up. */
import { z } from 'zod';
import { commonEnv, databaseEnv, parseConfig, portEnv, temporalEnv } from '../shared/config';

export const knowledgeEnv = {
  ...commonEnv,
  ...databaseEnv,
  ...portEnv('knowledge'),
  ...temporalEnv,
  /** false: product changes flag knowledge but start no review workflow. */
  PRODUCT_CHANGE_REVIEWS_ENABLED: z.enum(['true', 'false']).transform((v) => v === 'true').default(true),
  /** How long reviewers have after a product change before the review is reported overdue. */
  PRODUCT_CHANGE_REVIEW_DEADLINE_MS: z.coerce.number().int().min(1_000).default(7 * 24 * 3_600_000),
  PRODUCT_CHANGE_REVIEW_CHECK_MS: z.coerce.number().int().min(200).default(3_600_000),
  /** Workspace intent models held in this process at most (least recently used ones are rebuilt from Postgres when asked). */
  INTENT_MODELS_MAX: z.coerce.number().int().min(1).default(1_000),
  /** Bytes all workspace intent models may hold together (a banking77-size model is about 4.5 MB). */
  INTENT_MODELS_MAX_BYTES: z.coerce.number().int().min(1_000_000).default(256 * 1024 * 1024),
  /** Passages all workspaces' passage indexes may hold together (least recently asked workspaces' are reloaded when asked). */
  PASSAGE_INDEX_MAX_PASSAGES: z.coerce.number().int().min(1_000).default(500_000),
};

export type KnowledgeConfig = ReturnType<typeof loadKnowledgeConfig>;

export function loadKnowledgeConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(knowledgeEnv, env);
}
