/**
 * The client every process calls its peers with, against a real HTTP peer on a free port: signed context and
 * request id, typed errors, keep-alive connections, timeouts, and what is retried when the peer cannot be reached.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig, peerUrlsEnv } from '../../services/shared/config';
import { DomainError } from '../../services/shared/errors';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, SYSTEM_WORKSPACE, verifyContext } from '../../services/shared/request-context';

const SECRET = 'an-internal-secret-of-at-least-32-characters';
const caller = { workspaceId: SYSTEM_WORKSPACE, role: 'system' as const, subject: 'internal-client-test' };

interface Peer {
  url: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  connections: number;
  close(): Promise<void>;
}

async function peer(answer: (request: { body: string }, response: http.ServerResponse) => void): Promise<Peer> {
  const state: Peer = { url: '', requests: [], connections: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      state.requests.push({ headers: request.headers, body });
      answer({ body }, response);
    });
  });
  server.on('connection', () => (state.connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  state.close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return state;
}

const json = (response: http.ServerResponse, value: unknown) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(value));
};

describe('InternalGraphQLClient', () => {
  it('posts the query and variables with a signed context and the request id, and reuses one connection', async () => {
    const server = await peer((_, response) => json(response, { data: { ping: 'pong' } }));
    try {
      const sut = new InternalGraphQLClient(server.url, SECRET);

      const first = await sut.request<{ ping: string }>('query Ping($n: Int) { ping(n: $n) }', { n: 1 }, { ...caller, requestId: 'req-1' });
      const second = await sut.request<{ ping: string }>('query Ping($n: Int) { ping(n: $n) }', { n: 2 }, { ...caller, requestId: 'req-2' });

      expect([first, second]).toEqual([{ ping: 'pong' }, { ping: 'pong' }]);
      expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
        { query: 'query Ping($n: Int) { ping(n: $n) }', variables: { n: 1 } },
        { query: 'query Ping($n: Int) { ping(n: $n) }', variables: { n: 2 } },
      ]);
      expect(server.requests.map((r) => r.headers[REQUEST_ID_HEADER])).toEqual(['req-1', 'req-2']);
      const context = verifyContext(server.requests[0]!.headers[CONTEXT_HEADER] as string, [SECRET]);
      expect(context).toMatchObject({ ...caller, requestId: 'req-1' });
      expect(server.connections).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("passes the peer's typed error on, and an unknown or missing answer is UNAVAILABLE", async () => {
    let reply: unknown = { errors: [{ message: 'No such item', extensions: { code: 'NOT_FOUND' } }] };
    const server = await peer((_, response) => json(response, reply));
    try {
      const sut = new InternalGraphQLClient(server.url, SECRET);
      const refused = sut.request('{ item }', {}, caller);
      await expect(refused).rejects.toBeInstanceOf(DomainError);
      await expect(refused).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such item' });

      reply = { errors: [{ message: 'boom: stack trace here', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
      await expect(sut.request('{ item }', {}, caller)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'A peer service failed to answer' });
      reply = { data: null };
      await expect(sut.request('{ item }', {}, caller)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await server.close();
    }
  });

  it('a peer slower than the timeout is UNAVAILABLE, not retried', async () => {
    const server = await peer((_, response) => setTimeout(() => json(response, { data: { late: true } }), 1_000));
    try {
      const sut = new InternalGraphQLClient(server.url, SECRET, 200);
      await expect(sut.request('{ late }', {}, caller)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'A peer service did not answer within 200 ms' });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('a query whose peer drops the connection is sent again; a mutation is not', async () => {
    let drops = 1;
    const server = await peer((_, response) => {
      if (drops-- > 0) response.socket?.destroy();
      else json(response, { data: { ok: true } });
    });
    try {
      const sut = new InternalGraphQLClient(server.url, SECRET);
      await expect(sut.request('{ ok }', {}, caller)).resolves.toEqual({ ok: true });
      expect(server.requests).toHaveLength(2);

      drops = 1;
      await expect(sut.request('mutation { ok }', {}, caller)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('a peer that is not listening is UNAVAILABLE once the retries are spent', async () => {
    const server = await peer((_, response) => json(response, {}));
    const url = server.url;
    await server.close();
    const sut = new InternalGraphQLClient(url, SECRET);
    await expect(sut.request('{ ok }', {}, caller)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('a peer URL that is not plain http is refused at start-up, naming the variable', () => {
    expect(() => parseConfig(peerUrlsEnv, { KNOWLEDGE_URL: 'https://knowledge.internal/graphql' })).toThrow(/KNOWLEDGE_URL.*http:\/\//s);
    expect(parseConfig(peerUrlsEnv, { KNOWLEDGE_URL: 'http://knowledge:4102/graphql' }).KNOWLEDGE_URL).toBe('http://knowledge:4102/graphql');
  });
});
