/**
 * The HTTP shell every Loopdesk process shares: /health (the process is alive), /ready (its dependencies
 * answer), /metrics (Prometheus text), the correlation id middleware, and an optional GraphQL endpoint.
 */
import express, { Express, RequestHandler } from 'express';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import type { ProcessMetrics } from './metrics';
import { REQUEST_ID_HEADER, correlation, newRequestId } from './request-context';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface HttpShell {
  app: Express;
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HttpShellOptions {
  logger: Logger;
  metrics: ProcessMetrics;
  readiness: ReadinessCheck[];
  /** More Prometheus text to serve on /metrics (e.g. an SDK's own exporter), appended to the process's. */
  extraMetrics?: () => Promise<string>;
}

export function createHttpShell(options: HttpShellOptions): HttpShell {
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;

  const withCorrelation: RequestHandler = (req, res, next) => {
    const incoming = req.header(REQUEST_ID_HEADER);
    const requestId = incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : newRequestId();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    correlation.run({ requestId }, () => next());
  };
  app.use(withCorrelation);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await check();
          return { name, ok: true };
        } catch (error) {
          options.logger.debug({ err: error, dependency: name }, 'readiness check failed');
          return { name, ok: false };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', dependencies: results });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', options.metrics.registry.contentType);
    const own = await options.metrics.registry.metrics();
    const extra = options.extraMetrics ? await options.extraMetrics().catch(() => '') : '';
    res.send(extra ? `${own}\n${extra}` : own);
  });

  return {
    app,
    server,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
