import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'workspaces' })
export class WorkspaceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone!: string;

  /** HS256 secret the workspace signs end-customer tokens with; never returned after creation. */
  @Column({ name: 'customer_token_secret', type: 'text' })
  customerTokenSecret!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
