/** The answering step's environment: a fragment that conversation's config merges in. */
import { z } from 'zod';

/** An empty value (`OPENAI_API_KEY=` in a compose file) means unset, not an invalid key. */
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const answeringEnv = {
  /** Set → answers are written by the model; unset → extractive answers, no model. */
  OPENAI_API_KEY: optionalText(z.string().min(1)),
  /** Any OpenAI-compatible endpoint (Azure OpenAI, vLLM, Ollama, a gateway); unset → api.openai.com. */
  OPENAI_BASE_URL: optionalText(z.string().url()),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANSWER_MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(4000),
};

export type AnsweringConfig = Readonly<z.infer<z.ZodObject<typeof answeringEnv>>>;
