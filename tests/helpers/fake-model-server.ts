/** A stand-in for an OpenAI-compatible endpoint (node:http on 127.0.0.1) that records every chat completion request. */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: { body: ChatRequest; headers: IncomingMessage['headers'] }, response: ServerResponse) => void;

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { properties: { citations: { items: { enum: string[] } } } } } };
}

/** A stand-in for an OpenAI-compatible endpoint that records every chat completion request it receives. */
export class FakeModelServer {
  readonly requests: ChatRequest[] = [];
  private handler: Handler = (_, response) => reply(response, { answer: 'ok', citations: ['p1'] });
  private readonly server: Server = createServer((request, response) => this.receive(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  respondWith(handler: Handler): void {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      this.requests.push(body);
      this.handler({ body, headers: request.headers }, response);
    });
  }
}

export function completion(content: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

export function reply(response: ServerResponse, structured: { answer: string; citations: string[] }): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(JSON.stringify(structured))));
}
