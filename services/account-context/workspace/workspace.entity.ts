import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'workspaces' })
export class WorkspaceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone!: string;

  /**
   * HS256 secret the workspace signs end-customer tokens with, sealed (services/shared/secret-envelope.ts);
   * never returned after creation.
   */
  @Column({ name: 'customer_token_secret', type: 'text' })
  customerTokenSecret!: string;

  @Column({ name: 'analysts_see_personal_data', type: 'boolean', default: false })
  analystsSeePersonalData!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
