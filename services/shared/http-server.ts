/**
 * The HTTP shell every Loopdesk process shares: /health (the process is alive), /ready (its dependencies
 * answer), the correlation id middleware, JSON for every error, and an optional GraphQL endpoint. /metrics
 * (Prometheus text) is served on a port of its own, so the public port never exposes it.
 */
import express, { Express, RequestHandler } from 'express';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerUnparsableRequest, jsonErrors, jsonNotFound } from './http-errors';
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
  /** Starts the main server and the metrics server; resolves to the main server's port. Routes added after this are unreachable. */
  listen(port: number, host?: string): Promise<number>;
  /** The metrics server's port once listening; undefined when metrics are off. */
  metricsPort(): number | undefined;
  close(): Promise<void>;
}

export interface HttpShellOptions {
  logger: Logger;
  metrics: ProcessMetrics;
  readiness: ReadinessCheck[];
  /** Port of the separate /metrics server (METRICS_PORT); 0 serves no metrics. */
  metricsPort: number;
  /** More Prometheus text to serve on /metrics (e.g. an SDK's own exporter), appended to the process's. */
  extraMetrics?: () => Promise<string>;
}

export function createHttpShell(options: HttpShellOptions): HttpShell {
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerUnparsableRequest);

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

  const metricsApp = express();
  metricsApp.disable('x-powered-by');
  metricsApp.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', options.metrics.registry.contentType);
    const own = await options.metrics.registry.metrics();
    const extra = options.extraMetrics ? await options.extraMetrics().catch(() => '') : '';
    res.send(extra ? `${own}\n${extra}` : own);
  });
  metricsApp.use(jsonNotFound);
  metricsApp.use(jsonErrors(options.logger));
  const metricsServer = options.metricsPort > 0 ? createServer(metricsApp) : undefined;

  return {
    app,
    server,
    async listen(port, host = '127.0.0.1') {
      // Last in the chain, after every route the process added.
      app.use(jsonNotFound);
      app.use(jsonErrors(options.logger));
      const bound = await listenOn(server, port, host);
      if (metricsServer) await listenOn(metricsServer, options.metricsPort, host);
      return bound;
    },
    metricsPort: () => (metricsServer?.listening ? (metricsServer.address() as AddressInfo).port : undefined),
    async close() {
      await Promise.all([closeServer(server), metricsServer?.listening ? closeServer(metricsServer) : undefined]);
    },
  };
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
