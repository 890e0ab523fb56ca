import { Column, Entity, Index } from 'typeorm';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

/** Where a workspace wants its weekly report posted (Slack incoming webhooks and anything that takes their JSON). */
@Entity({ name: 'report_webhooks' })
@Index(['workspaceId'])
export class ReportWebhookEntity extends WorkspaceRowEntity {
  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;
}
