/** The webhooks a workspace's weekly reports are posted to. */
import { DataSource, IsNull } from 'typeorm';
import { badInput, conflict, notFound } from '../../shared/errors';
import { ReportWebhookEntity } from './report-webhook.entity';
import type { WebhookTargetPolicy } from './webhook-target-policy';

const MAX_REPORT_WEBHOOKS = 10;

export class ReportWebhookService {
  constructor(
    private readonly db: DataSource,
    private readonly targets: WebhookTargetPolicy,
  ) {}

  list(workspaceId: string): Promise<ReportWebhookEntity[]> {
    return this.db.getRepository(ReportWebhookEntity).find({ where: { workspaceId, removedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async add(workspaceId: string, url: string, label: string, actor: string): Promise<ReportWebhookEntity> {
    const target = await this.targets.check(url);
    const name = label.trim();
    if (name.length === 0 || name.length > 100) throw badInput('label must be 1 to 100 characters');
    const existing = await this.list(workspaceId);
    if (existing.length >= MAX_REPORT_WEBHOOKS) throw conflict(`A workspace can post its report to at most ${MAX_REPORT_WEBHOOKS} webhooks; remove one first`);
    if (existing.some((w) => w.url === target)) throw conflict('This webhook is already configured');
    const repository = this.db.getRepository(ReportWebhookEntity);
    return repository.save(repository.create({ workspaceId, url: target, label: name, createdBy: actor, removedAt: null }));
  }

  async remove(workspaceId: string, id: string): Promise<ReportWebhookEntity> {
    const repository = this.db.getRepository(ReportWebhookEntity);
    const webhook = await repository.findOneBy({ id, workspaceId, removedAt: IsNull() });
    if (!webhook) throw notFound('Report webhook', id);
    webhook.removedAt = new Date();
    return repository.save(webhook);
  }
}

/** Webhook URLs are secrets (Slack's carry the token in the path): show where they go, not how to post there. */
export function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/…`;
}
