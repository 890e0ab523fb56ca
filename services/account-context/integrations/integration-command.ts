/**
 * What a webhook asks Loopdesk to do, once its provider's mapper has validated it. Mappers are pure: they
 * turn a provider's payload into one command and never touch the database; WebhookService applies it.
 */
import type { BugChange } from '../bug/bug.service';
import type { AccountChange } from '../customer/customer.service';

export type IntegrationCommand =
  | { kind: 'account'; eventType: string; source: 'billing' | 'crm'; change: AccountChange }
  | { kind: 'bug'; eventType: string; change: BugChange }
  /** An event the mapper does not handle: acknowledged, recorded as ignored, nothing else changes. */
  | { kind: 'ignore'; eventType: string; reason: string };

/** Throws BAD_USER_INPUT (with the failing paths, never the values) when the payload is not valid. */
export type WebhookMapper = (payload: unknown) => IntegrationCommand;
