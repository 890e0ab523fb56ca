/** Which mapper reads which provider's webhooks. */
import { WebhookProvider } from '../webhook/webhook-provider';
import { mapBillingEvent } from './billing';
import { mapBugTrackerEvent } from './bug-tracker';
import { mapCrmEvent } from './crm';
import type { WebhookMapper } from './integration-command';

export const WEBHOOK_MAPPERS: Record<WebhookProvider, WebhookMapper> = {
  [WebhookProvider.BILLING]: mapBillingEvent,
  [WebhookProvider.CRM]: mapCrmEvent,
  [WebhookProvider.BUG_TRACKER]: mapBugTrackerEvent,
};
