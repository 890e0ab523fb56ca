/** Structured JSON logs (pino); every line carries the request id of the request it belongs to. */
import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger };

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}
