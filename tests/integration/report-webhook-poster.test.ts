/**
 * Posting a report to a webhook over real sockets: the target policy is applied again when the connection is
 * made (a DNS answer that turned private is refused before any byte is sent), only the status is kept, and a
 * target that does not answer is given up on.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookPoster } from '../../services/insights/report/webhook-poster';
import { ResolvedAddress, WebhookTargetPolicy } from '../../services/insights/report/webhook-target-policy';

let server: Server;
let port: number;
let received: string[];
let answer: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.url ?? '');
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

beforeEach(() => {
  received = [];
  answer = (_request, response) => response.writeHead(200).end('internal secret: 42');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const message = { text: 'Weekly report' };

describe('WebhookPoster', () => {
  it('refuses at connect time a host whose DNS answer turned private after the check (rebinding): nothing reaches the server', async () => {
    let lookups = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> => [{ address: lookups++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const sut = new WebhookPoster(new WebhookTargetPolicy([], rebinding));
    const result = await sut.post(`https://rebind.example.com:${port}/hook`, message, {});
    expect(result).toMatchObject({ status: null, refused: true });
    expect(result.error).toMatch(/^refused at connect time: .*only public addresses/);
    expect(lookups).toBe(2);
    expect(received).toEqual([]);
  });

  it('refuses a private address that is not allow-listed without connecting', async () => {
    const sut = new WebhookPoster(new WebhookTargetPolicy([]));
    const result = await sut.post(`http://127.0.0.1:${port}/hook`, message, {});
    expect(result).toMatchObject({ status: null, refused: true });
    expect(received).toEqual([]);
  });

  it('posts to an allow-listed private target and keeps the status, never the response body', async () => {
    const sut = new WebhookPoster(new WebhookTargetPolicy(['127.0.0.1']));
    expect(await sut.post(`http://127.0.0.1:${port}/hook`, message, { 'x-loopdesk-delivery': 'd1' })).toEqual({ status: 200, error: null, refused: false });
    answer = (_request, response) => response.writeHead(500).end('stack trace of an internal service');
    expect(await sut.post(`http://127.0.0.1:${port}/hook`, message, {})).toEqual({ status: 500, error: 'HTTP 500', refused: false });
    expect(received).toEqual(['/hook', '/hook']);
  });

  it('counts a host that did not resolve as a failed attempt to retry, not as a refusal', async () => {
    const unresolvable = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN hooks.example.com'), { code: 'EAI_AGAIN' });
    };
    const sut = new WebhookPoster(new WebhookTargetPolicy([], unresolvable));
    expect(await sut.post('https://hooks.example.com/hook', message, {})).toEqual({ status: null, error: 'could not resolve the host', refused: false });
  });

  it('gives up on a target that does not answer', async () => {
    answer = () => undefined;
    const sut = new WebhookPoster(new WebhookTargetPolicy(['127.0.0.1']), 300);
    expect(await sut.post(`http://127.0.0.1:${port}/hook`, message, {})).toEqual({ status: null, error: 'no answer within 0.3 s', refused: false });
  });
});
