/**
 * Billing provider (Stripe-like) subscription events → account plan, billing state and seats.
 *
 * customer.subscription.created / .updated / .deleted are handled; every other event type is ignored.
 * The account is the subscription's metadata.account_external_id, else the provider's customer id. The plan
 * is the first item's price nickname, else its product's name, else its lookup key, else the price id, in
 * lower case. Seats are the first item's quantity (else the subscription's). A deleted subscription leaves
 * the account canceled. A new account is named by metadata.account_name, else its external id, until the
 * CRM or an admin names it.
 */
import { z } from 'zod';
import { BillingState } from '../customer/customer.types';
import type { IntegrationCommand } from './integration-command';
import { eventTypeOf, externalId, parsePayload } from './payload';

const HANDLED = new Set(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']);

/** Provider statuses → billing states. Paused subscriptions give no service, so they read as canceled. */
const BILLING_STATES = {
  trialing: BillingState.TRIALING,
  active: BillingState.ACTIVE,
  past_due: BillingState.PAST_DUE,
  unpaid: BillingState.PAST_DUE,
  incomplete: BillingState.PAST_DUE,
  incomplete_expired: BillingState.CANCELED,
  canceled: BillingState.CANCELED,
  paused: BillingState.CANCELED,
} as const;

const seats = z.number().int().min(0).max(1_000_000);

const price = z.object({
  id: z.string().min(1),
  nickname: z.string().nullish(),
  lookup_key: z.string().nullish(),
  product: z.union([z.string(), z.object({ id: z.string(), name: z.string().nullish() })]).nullish(),
});

const subscriptionEvent = z.object({
  id: z.string().min(1),
  type: z.string(),
  created: z.number().int().positive(),
  data: z.object({
    object: z.object({
      id: z.string().min(1),
      customer: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]),
      status: z.enum(Object.keys(BILLING_STATES) as [keyof typeof BILLING_STATES, ...Array<keyof typeof BILLING_STATES>]),
      quantity: seats.nullish(),
      metadata: z.record(z.string(), z.string()).nullish(),
      items: z.object({ data: z.array(z.object({ quantity: seats.nullish(), price })).min(1) }),
    }),
  }),
});

function planOf(item: z.infer<typeof price>): string {
  const productName = typeof item.product === 'object' && item.product !== null ? item.product.name : null;
  const plan = [item.nickname, productName, item.lookup_key, item.id].find((candidate) => candidate && candidate.trim().length > 0)!;
  return plan.trim().toLowerCase().slice(0, 100);
}

export function mapBillingEvent(payload: unknown): IntegrationCommand {
  const eventType = eventTypeOf(payload, 'type', 'billing event');
  if (!HANDLED.has(eventType)) return { kind: 'ignore', eventType, reason: 'not a subscription event' };
  const event = parsePayload(subscriptionEvent, payload, 'billing event');
  const subscription = event.data.object;
  const metadata = subscription.metadata ?? {};
  const customerId = typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  const accountExternalId = parsePayload(externalId, metadata.account_external_id ?? customerId, 'billing event account id');
  const [firstItem] = subscription.items.data;
  const quantity = firstItem!.quantity ?? subscription.quantity ?? undefined;
  return {
    kind: 'account',
    eventType,
    source: 'billing',
    change: {
      externalId: accountExternalId,
      nameForNewAccount: metadata.account_name?.trim().slice(0, 200) || accountExternalId,
      billingEventAt: new Date(event.created * 1000),
      patch: {
        plan: planOf(firstItem!.price),
        billingState: eventType === 'customer.subscription.deleted' ? BillingState.CANCELED : BILLING_STATES[subscription.status],
        seats: quantity,
      },
    },
  };
}
