/**
 * CRM (HubSpot-like) company events → account name, dates, segments and custom attributes.
 *
 * company.creation and company.propertyChange are handled; every other subscription type is ignored. The
 * account is properties.account_external_id, else the CRM's object id. Properties with a meaning here:
 * name, segments (a list, or HubSpot's "a;b" multi-select string), signed_up_at and onboarded_at (ISO or
 * epoch milliseconds; empty clears). HubSpot's own bookkeeping properties (hs_*) are dropped; every other
 * property becomes a custom attribute (null removes it).
 */
import { z } from 'zod';
import { attributesPatchProblem, labelsProblem } from '../customer/profile-fields';
import type { AttributesPatch } from '../customer/profile-fields';
import type { AccountPatch } from '../customer/profile-patch';
import type { IntegrationCommand } from './integration-command';
import { eventTypeOf, externalId, flexibleDate, parsePayload } from './payload';

const HANDLED = new Set(['company.creation', 'company.propertyChange']);
const MAPPED = new Set(['name', 'account_external_id', 'segments', 'signed_up_at', 'onboarded_at']);

const idLike = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).transform(String);

/** Every property not mapped to a field (nor HubSpot's hs_* bookkeeping) is a custom attribute. */
function attributesOf(properties: Record<string, unknown>): AttributesPatch {
  return Object.fromEntries(Object.entries(properties).filter(([key]) => !MAPPED.has(key) && !key.startsWith('hs_'))) as AttributesPatch;
}

const companyEvent = z.object({
  eventId: idLike.optional(),
  subscriptionType: z.string(),
  occurredAt: z.number().int().positive().optional(),
  objectId: idLike,
  properties: z
    .object({
      name: z.string().trim().min(1).max(200).optional(),
      account_external_id: externalId.optional(),
      segments: z
        .union([z.array(z.string()), z.string()])
        .transform((value) => (Array.isArray(value) ? value : value.split(';')).map((segment) => segment.trim()).filter((segment) => segment.length > 0))
        .superRefine((segments, ctx) => {
          const problem = labelsProblem(segments);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
      signed_up_at: flexibleDate.nullable().optional(),
      onboarded_at: flexibleDate.nullable().optional(),
    })
    .loose()
    .superRefine((properties, ctx) => {
      const problem = attributesPatchProblem(attributesOf(properties));
      if (problem) ctx.addIssue({ code: 'custom', message: `custom attribute ${problem}` });
    }),
});

export function mapCrmEvent(payload: unknown): IntegrationCommand {
  const eventType = eventTypeOf(payload, 'subscriptionType', 'CRM event');
  if (!HANDLED.has(eventType)) return { kind: 'ignore', eventType, reason: 'not a company creation or property change' };
  const event = parsePayload(companyEvent, payload, 'CRM event');
  const { properties } = event;
  const attributes = attributesOf(properties);
  const accountExternalId = properties.account_external_id ?? event.objectId;
  const patch: AccountPatch = {
    name: properties.name,
    segments: properties.segments,
    signedUpAt: properties.signed_up_at,
    onboardedAt: properties.onboarded_at,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
  };
  return {
    kind: 'account',
    eventType,
    source: 'crm',
    change: { externalId: accountExternalId, nameForNewAccount: properties.name ?? accountExternalId, patch },
  };
}
