/**
 * POST /webhooks/:provider — the HTTP edge of WebhookService. Thin: the raw body (the signature covers its
 * exact bytes), the headers, and errors as `{ error: { code, message } }` with the codes GraphQL uses.
 */
import express, { ErrorRequestHandler, Express, Request, Response } from 'express';
import { DomainError, ErrorCode, httpStatusOf, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { providerOfPathSegment } from './webhook-provider';
import { DELIVERY_HEADER, SIGNATURE_HEADER, WORKSPACE_HEADER } from './webhook-signature';
import type { WebhookService } from './webhook.service';

const MAX_BODY = '512kb';

function sendError(res: Response, status: number, code: string, message: string, details?: Record<string, unknown>): void {
  res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
}

export function mountWebhookRoutes(app: Express, webhooks: WebhookService, logger: Logger): void {
  const router = express.Router();

  router.post('/:provider', express.raw({ type: () => true, limit: MAX_BODY }), async (req: Request<{ provider: string }>, res: Response) => {
    try {
      const provider = providerOfPathSegment(req.params.provider);
      if (!provider) throw notFound('Webhook provider', `"${req.params.provider.slice(0, 40)}"`);
      const receipt = await webhooks.receive({
        provider,
        workspaceId: req.header(WORKSPACE_HEADER),
        signature: req.header(SIGNATURE_HEADER),
        deliveryId: req.header(DELIVERY_HEADER),
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      });
      logger.info({ provider, ...receipt }, 'webhook received');
      res.status(200).json({ received: true, ...receipt });
    } catch (error) {
      if (error instanceof DomainError) {
        logger.info({ code: error.code, reason: error.message, provider: req.params.provider }, 'webhook refused');
        sendError(res, httpStatusOf(error.code), error.code, error.message, error.details);
        return;
      }
      logger.error({ err: error, provider: req.params.provider }, 'webhook failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
    }
  });

  // Body-parser failures (too large, bad encoding) happen before the handler; answer them in the same shape.
  const bodyErrors: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large') return sendError(res, httpStatusOf(ErrorCode.PayloadTooLarge), ErrorCode.PayloadTooLarge, `The webhook body may be at most ${MAX_BODY}`);
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return sendError(res, 400, ErrorCode.BadUserInput, 'The webhook body could not be read');
    logger.error({ err: error }, 'webhook failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
  };
  router.use(bodyErrors);

  app.use('/webhooks', router);
}
