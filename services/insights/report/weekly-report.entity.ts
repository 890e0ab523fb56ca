import { Column, Entity, Index } from 'typeorm';
import type { WeeklyReportContent } from './weekly-report-content';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

/** One workspace's report for one ISO week; generating it again replaces it in place. */
@Entity({ name: 'weekly_reports' })
@Index(['workspaceId', 'isoWeek'], { unique: true })
export class WeeklyReportEntity extends WorkspaceRowEntity {
  @Column({ name: 'iso_week', type: 'text' })
  isoWeek!: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column({ name: 'generated_at', type: 'timestamptz' })
  generatedAt!: Date;

  /**
   * Which generation this is: the workflow run that made it. A retried activity of the same run finds its
   * own report and leaves it (and its deliveries) alone; a new run replaces both.
   */
  @Column({ name: 'run_key', type: 'text' })
  runKey!: string;

  @Column({ type: 'jsonb' })
  content!: WeeklyReportContent;

  @Column({ type: 'text' })
  markdown!: string;

  @Column({ type: 'text' })
  html!: string;
}
