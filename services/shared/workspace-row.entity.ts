/**
 * The two columns every workspace-owned table opens with: a generated uuid key and the owning workspace.
 * Not an entity itself (no table); an entity extending it gets both columns first, as its migration declares them.
 */
import { Column, PrimaryGeneratedColumn } from 'typeorm';

export abstract class WorkspaceRowEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;
}
