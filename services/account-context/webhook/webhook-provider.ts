/** The integrations that may post signed webhooks, and where each one posts. */
export enum WebhookProvider {
  BILLING = 'billing',
  CRM = 'crm',
  BUG_TRACKER = 'bug_tracker',
}

const PATH_SEGMENTS: Record<WebhookProvider, string> = {
  [WebhookProvider.BILLING]: 'billing',
  [WebhookProvider.CRM]: 'crm',
  [WebhookProvider.BUG_TRACKER]: 'bug-tracker',
};

/** The path a provider posts to, e.g. /webhooks/bug-tracker. */
export function webhookPathOf(provider: WebhookProvider): string {
  return `/webhooks/${PATH_SEGMENTS[provider]}`;
}

export function providerOfPathSegment(segment: string): WebhookProvider | null {
  const found = (Object.entries(PATH_SEGMENTS) as Array<[WebhookProvider, string]>).find(([, path]) => path === segment);
  return found ? found[0] : null;
}
