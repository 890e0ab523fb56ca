import { Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { WorkspaceRowEntity } from '../../shared/workspace-row.entity';

export type AgentRoleValue = 'agent' | 'admin';
export type AgentAvailabilityValue = 'available' | 'away' | 'offline';

/** A person who works conversations in a workspace; their personal keys act as them. */
@Entity({ name: 'agents' })
export class AgentEntity extends WorkspaceRowEntity {
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  /** What their personal keys may do: agent, or admin (an agent who also manages the workspace). */
  @Column({ type: 'text' })
  role!: AgentRoleValue;

  /** Groups or skills conversations can be routed to, e.g. "billing", "tier-2". */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  groups!: string[];

  @Column({ type: 'text', default: 'available' })
  availability!: AgentAvailabilityValue;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set when the person left: their keys are revoked and they can no longer be assigned. */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;
}
