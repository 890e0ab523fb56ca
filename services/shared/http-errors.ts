/**
 * The last handlers of every HTTP shell: a request no route answered, and an error no route handled (an
 * unreadable or oversized body, mostly), become JSON in the GraphQL error shape with an `extensions.code`.
 * Express's own fallback would answer with an HTML page carrying a stack trace and absolute paths.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Duplex } from 'node:stream';
import { ErrorCode, httpStatusOf } from './errors';
import type { Logger } from './logger';

/** What body-parser attaches to the errors it raises (see its README, "Errors"). */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function sendJsonError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export const jsonNotFound: RequestHandler = (req, res) => {
  sendJsonError(res, httpStatusOf(ErrorCode.NotFound), ErrorCode.NotFound, `Nothing is served at ${req.method} ${req.path}`);
};

export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: BodyParserError, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large') {
      const limit = typeof error.limit === 'number' ? ` of ${error.limit} bytes` : '';
      return sendJsonError(res, httpStatusOf(ErrorCode.PayloadTooLarge), ErrorCode.PayloadTooLarge, `The request body is larger than the limit${limit}`);
    }
    if (error.type === 'entity.parse.failed') {
      return sendJsonError(res, httpStatusOf(ErrorCode.BadUserInput), ErrorCode.BadUserInput, 'The request body is not valid JSON');
    }
    // Other client-side failures of body parsing: an unsupported charset or encoding, an aborted upload.
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return sendJsonError(res, error.status, ErrorCode.BadUserInput, 'The request body could not be read');
    }
    logger.error({ err: error }, 'request failed outside any route');
    return sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
  };
}

/**
 * A request Node's HTTP parser refuses before any route sees it (headers over its 16 KB limit, a line that is not
 * HTTP, one that took too long to arrive) is answered in the same JSON shape, instead of Node's bare status line
 * with an empty body, then the connection is closed. For the server's 'clientError' event.
 */
export function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are larger than the server accepts (16 KB in all); send shorter headers']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request did not arrive in time; send it again']
        : [400, 'Bad Request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ errors: [{ message, extensions: { code: status === 408 ? ErrorCode.Unavailable : ErrorCode.BadUserInput } }] });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
