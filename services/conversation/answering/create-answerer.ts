/** Picks the answer writer (and translator) from configuration: the model when a key is configured, else the extractive answerer. */
import OpenAI from 'openai';
import type { Logger } from '../../shared/logger';
import type { Answerer } from './answerer';
import type { AnsweringConfig } from './config';
import { ExtractiveAnswerer } from './extractive-answerer';
import { ModelAnswerer } from './model-answerer';
import { ModelTranslator, Translator } from './model-translator';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createAnswerer(config: AnsweringConfig, logger?: Logger): Answerer {
  const client = modelClient(config);
  if (!client) return new ExtractiveAnswerer();
  return new ModelAnswerer({ client, model: config.OPENAI_MODEL, timeoutMs: config.ANSWER_MODEL_TIMEOUT_MS, logger });
}

/** With a model configured: the translator that lets it answer questions in languages the knowledge is not written in. */
export function createTranslator(config: AnsweringConfig, logger?: Logger): Translator | null {
  const client = modelClient(config);
  return client && new ModelTranslator({ client, model: config.OPENAI_MODEL, timeoutMs: config.ANSWER_MODEL_TIMEOUT_MS, logger });
}

function modelClient(config: AnsweringConfig): OpenAI | null {
  if (!config.OPENAI_API_KEY) return null;
  return new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    // Explicit, so the SDK does not read OPENAI_BASE_URL from the environment behind the config's back.
    baseURL: config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: config.ANSWER_MODEL_TIMEOUT_MS,
    maxRetries: 0,
  });
}
