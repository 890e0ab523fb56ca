/** Picks the answer writer from configuration: the model when a key is configured, else the extractive answerer. */
import OpenAI from 'openai';
import type { Logger } from '../../shared/logger';
import type { Answerer } from './answerer';
import type { AnsweringConfig } from './config';
import { ExtractiveAnswerer } from './extractive-answerer';
import { ModelAnswerer } from './model-answerer';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createAnswerer(config: AnsweringConfig, logger?: Logger): Answerer {
  if (!config.OPENAI_API_KEY) return new ExtractiveAnswerer();
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    // Explicit, so the SDK does not read OPENAI_BASE_URL from the environment behind the config's back.
    baseURL: config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: config.ANSWER_MODEL_TIMEOUT_MS,
    maxRetries: 0,
  });
  return new ModelAnswerer({ client, model: config.OPENAI_MODEL, timeoutMs: config.ANSWER_MODEL_TIMEOUT_MS, logger });
}
