/**
 * Bug tracker (Linear/Jira-like) issue events → open and closed bugs.
 *
 * Events of type "Issue" with action create, update, close or remove are handled; everything else (comments,
 * projects, unknown actions) is ignored. An issue is closed when the action is close or remove (a deleted
 * issue affects no one), or its state type is completed or canceled, or it carries completedAt/canceledAt.
 * Labels written "area:<name>" give its product areas (services/shared/product-areas.ts); accountExternalIds links it to
 * accounts by the workspace's own ids.
 */
import { z } from 'zod';
import { productAreasOfLabels } from '../../shared/product-areas';
import type { IntegrationCommand } from './integration-command';
import { eventTypeOf, externalId, isoDate, parsePayload } from './payload';

const BUG_TRACKER_SOURCE = 'bug_tracker';

const ACTIONS = ['create', 'update', 'close', 'remove'] as const;
const CLOSED_STATES = new Set(['completed', 'canceled', 'cancelled', 'done', 'closed']);

const issueEvent = z.object({
  type: z.literal('Issue'),
  action: z.enum(ACTIONS),
  createdAt: isoDate,
  data: z.object({
    id: externalId,
    title: z
      .string()
      .trim()
      .min(1)
      .transform((title) => title.slice(0, 500)),
    // Agents open it from their console: only web links.
    url: z.url({ protocol: /^https?$/ }).max(2048).nullish(),
    state: z.object({ type: z.string().min(1), name: z.string().nullish() }).nullish(),
    labels: z
      .array(z.union([z.string(), z.object({ name: z.string() })]))
      .max(200)
      .nullish(),
    createdAt: isoDate,
    completedAt: isoDate.nullish(),
    canceledAt: isoDate.nullish(),
    accountExternalIds: z.array(externalId).max(500).nullish(),
  }),
});

export function mapBugTrackerEvent(payload: unknown): IntegrationCommand {
  const type = eventTypeOf(payload, 'type', 'bug tracker event');
  const action = typeof (payload as { action?: unknown }).action === 'string' ? String((payload as { action: string }).action) : '';
  const eventType = `${type}.${action}`.slice(0, 200);
  if (type !== 'Issue' || !(ACTIONS as readonly string[]).includes(action)) return { kind: 'ignore', eventType, reason: 'not an issue event' };
  const event = parsePayload(issueEvent, payload, 'bug tracker event');
  const issue = event.data;
  const closed =
    event.action === 'close' ||
    event.action === 'remove' ||
    CLOSED_STATES.has(issue.state?.type.toLowerCase() ?? '') ||
    Boolean(issue.completedAt ?? issue.canceledAt);
  const labels = (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name));
  return {
    kind: 'bug',
    eventType,
    change: {
      source: BUG_TRACKER_SOURCE,
      externalId: issue.id,
      title: issue.title,
      status: closed ? 'closed' : 'open',
      productAreas: productAreasOfLabels(labels),
      accountExternalIds: [...new Set(issue.accountExternalIds ?? [])],
      url: issue.url ?? null,
      openedAt: issue.createdAt,
      closedAt: closed ? (issue.completedAt ?? issue.canceledAt ?? event.createdAt) : null,
      eventAt: event.createdAt,
    },
  };
}
