/**
 * The answer written by a language model over any OpenAI-compatible endpoint, with structured output
 * `{ answer, citations }`. The model is an improvement, never a dependency: on a timeout, an HTTP or network
 * failure, or output we cannot trust, the customer gets the extractive answer and the reason is reported.
 */
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import { z } from 'zod';
import type { Logger } from '../../shared/logger';
import { Answerer, AnswerInput, FallbackReason, WrittenAnswer, assertHasPassages } from './answerer';
import { answerResponseSchema, buildAnswerPrompt } from './answer-prompt';
import { writeExtractiveAnswer } from './extractive-answerer';

export interface ModelAnswererOptions {
  /** Built with `maxRetries: 0`: a retry cannot fit inside an answer's time budget. */
  client: OpenAI;
  model: string;
  /** The whole call, from request to parsed body; the answer arrives within this plus a few milliseconds. */
  timeoutMs: number;
  logger?: Logger;
}

const SDK_TIMEOUT_SLACK_MS = 1000;

const ModelReply = z.object({ answer: z.string(), citations: z.array(z.string()) });

type Verdict = { ok: true; text: string; citedPassageIds: string[] } | { ok: false; problem: string };

export class ModelAnswerer implements Answerer {
  constructor(private readonly options: ModelAnswererOptions) {}

  async answer(input: AnswerInput): Promise<WrittenAnswer> {
    assertHasPassages(input);
    let verdict: Verdict;
    try {
      verdict = await this.complete(input);
    } catch (error) {
      const reason = error instanceof DeadlineExceeded || error instanceof APIConnectionTimeoutError ? 'timeout' : 'error';
      return this.fallBack(input, reason, error instanceof Error ? error.message : String(error));
    }
    if (!verdict.ok) return this.fallBack(input, 'invalid_output', verdict.problem);
    return { text: verdict.text, citedPassageIds: verdict.citedPassageIds, writer: 'model' };
  }

  /** Asks the model; rejects on a timeout or a failed request, otherwise judges the reply. */
  private async complete(input: AnswerInput): Promise<Verdict> {
    const { client, model, timeoutMs } = this.options;
    const prompt = buildAnswerPrompt(input);
    // The SDK's own timeout stops at the response headers; this deadline also covers a body that trickles in.
    // The SDK's timer is set a little later so that ours always fires first and the reason reads 'timeout'.
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new DeadlineExceeded(timeoutMs));
        controller.abort();
      }, timeoutMs);
    });
    try {
      const request = client.chat.completions.create(
        {
          model,
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'support_answer', strict: true, schema: answerResponseSchema(input.passages.map((p) => p.passageId)) },
          },
        },
        { signal: controller.signal, timeout: timeoutMs + SDK_TIMEOUT_SLACK_MS, maxRetries: 0 },
      );
      const completion = await Promise.race([request, deadline]);
      const choice = completion.choices?.[0];
      if (!choice) return { ok: false, problem: 'the response has no choices' };
      if (choice.message?.refusal) return { ok: false, problem: 'the model refused' };
      if (choice.finish_reason === 'length') return { ok: false, problem: 'the reply was cut off at the token limit' };
      const content = choice.message?.content;
      return content ? readReply(content, input) : { ok: false, problem: 'the reply has no content' };
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack(input: AnswerInput, reason: FallbackReason, problem: string): WrittenAnswer {
    // The question and passages stay out of the log: they may hold customer data.
    this.options.logger?.warn({ fallbackReason: reason, problem, model: this.options.model }, 'model answer unavailable; answering extractively');
    return writeExtractiveAnswer(input, reason);
  }
}

/** Checks the model's JSON: a non-empty answer citing at least one of the given passages (unknown ids are dropped). */
export function readReply(content: string, input: AnswerInput): Verdict {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, problem: 'the reply is not JSON' };
  }
  const reply = ModelReply.safeParse(json);
  if (!reply.success) return { ok: false, problem: 'the reply does not have the shape { answer: string, citations: string[] }' };
  const text = reply.data.answer.trim();
  if (!text) return { ok: false, problem: 'the answer is empty' };
  const known = new Set(input.passages.map((passage) => passage.passageId));
  const citedPassageIds = [...new Set(reply.data.citations.map((id) => id.trim()))].filter((id) => known.has(id));
  if (citedPassageIds.length === 0) return { ok: false, problem: 'the answer cites none of the given passages' };
  return { ok: true, text, citedPassageIds };
}

class DeadlineExceeded extends Error {
  constructor(timeoutMs: number) {
    super(`no model answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}
