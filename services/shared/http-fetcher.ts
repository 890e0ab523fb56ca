/**
 * The fetcher for requests between Loopdesk's processes (the gateway's subgraph requests, and every service's and
 * the worker's calls to a peer, internal-client.ts): node:http over a keep-alive agent, each request ended after a
 * timeout. It stands in for the data source's default (make-fetch-happen, which builds an Error and its stack and
 * walks agent-base's socket bookkeeping on every request) and for Node's own fetch, which on Node 20 wraps each
 * request and response in WHATWG streams and an AbortSignal. Measured with `npm run bench:gateway` on a shared
 * 2-core machine: the gateway's CPU per request was 0.90–1.17 ms with make-fetch-happen, 0.94–1.15 ms with Node's
 * fetch and 0.50–0.72 ms with this. For the services' own calls Node's fetch was 8% of the conversation process's
 * CPU in a profile of npm run bench:ask (10% with its streams).
 * A subgraph answers a GraphQL request with one small JSON body, so the whole body is read into memory.
 */
import http from 'node:http';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

/**
 * An idle pooled socket is closed after this. The subgraphs keep theirs open for 65 s (services/shared/http-server.ts),
 * so it is the caller that closes an idle connection, not a subgraph racing a request sent on it.
 */
const IDLE_SOCKET_MS = 30_000;

class PeerTimeout extends Error {
  override name = 'TimeoutError';
}

function responseOf(url: string, status: number, statusText: string, headers: Headers, body: Buffer): FetcherResponse {
  return {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText,
    headers,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    clone: () => responseOf(url, status, statusText, headers, body),
  };
}

export function httpFetcher(timeoutMs: number): Fetcher {
  // No cap on sockets: the number in flight is bounded by the caller's own requests in flight.
  const agent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  return (url: string, init: FetcherRequestInit = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const headers = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
          resolve(responseOf(url, response.statusCode ?? 0, response.statusMessage ?? '', headers, Buffer.concat(chunks)));
        });
      });
      const timer = setTimeout(() => request.destroy(new PeerTimeout(`${url} did not answer within ${timeoutMs} ms`)), timeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      request.on('error', fail);
      request.end(init.body);
    });
}
