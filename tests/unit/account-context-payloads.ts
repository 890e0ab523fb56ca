/** Webhook payloads as each provider sends them, for the mapper unit tests and the webhook integration tests. */

export interface SubscriptionEventOptions {
  type?: string;
  /** Unix seconds. */
  created?: number;
  status?: string;
  quantity?: number;
  customer?: string;
  accountExternalId?: string;
  accountName?: string;
  nickname?: string | null;
  productName?: string;
}

export function subscriptionEvent(options: SubscriptionEventOptions = {}) {
  const metadata: Record<string, string> = {};
  if (options.accountExternalId) metadata.account_external_id = options.accountExternalId;
  if (options.accountName) metadata.account_name = options.accountName;
  return {
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type: options.type ?? 'customer.subscription.updated',
    created: options.created ?? Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: 'sub_1',
        object: 'subscription',
        customer: options.customer ?? 'cus_123',
        status: options.status ?? 'active',
        metadata,
        items: {
          object: 'list',
          data: [
            {
              id: 'si_1',
              quantity: options.quantity ?? 5,
              price: {
                id: 'price_1',
                nickname: options.nickname === undefined ? 'Pro' : options.nickname,
                lookup_key: null,
                product: options.productName ? { id: 'prod_1', name: options.productName } : 'prod_1',
              },
            },
          ],
        },
      },
    },
  };
}

export function companyEvent(options: { subscriptionType?: string; objectId?: string | number; properties?: Record<string, unknown> } = {}) {
  return {
    eventId: 4242,
    subscriptionType: options.subscriptionType ?? 'company.propertyChange',
    portalId: 77,
    occurredAt: Date.now(),
    objectId: options.objectId ?? 9001,
    properties: options.properties ?? { name: 'Acme Corp' },
  };
}

export interface IssueEventOptions {
  action?: string;
  type?: string;
  id?: string;
  title?: string;
  stateType?: string;
  labels?: string[];
  accountExternalIds?: string[];
  createdAt?: string;
  completedAt?: string | null;
  /** When the event happened (the payload's own createdAt). */
  eventAt?: string;
}

export function issueEvent(options: IssueEventOptions = {}) {
  return {
    type: options.type ?? 'Issue',
    action: options.action ?? 'create',
    createdAt: options.eventAt ?? '2026-03-02T10:00:00.000Z',
    data: {
      id: options.id ?? 'issue-1',
      identifier: 'ENG-1',
      title: options.title ?? 'Invoices page shows the wrong currency',
      url: 'https://tracker.example/issue/ENG-1',
      state: { type: options.stateType ?? 'started', name: 'In Progress' },
      labels: (options.labels ?? ['bug', 'area:billing']).map((name) => ({ name })),
      createdAt: options.createdAt ?? '2026-03-01T09:00:00.000Z',
      completedAt: options.completedAt ?? null,
      accountExternalIds: options.accountExternalIds ?? ['acme'],
    },
  };
}
