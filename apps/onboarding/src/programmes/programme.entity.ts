import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Marketplace, ProgrammeKind, TargetBasis } from '@niryat/contracts';

const bigintNumber = { to: (value?: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };
/** `date` columns stay YYYY-MM-DD strings: a deadline is a calendar day, not an instant. */
const calendarDate = { to: (value?: string | null) => value, from: (value: string | Date | null) => (value instanceof Date ? value.toISOString().slice(0, 10) : value) };

@Entity({ name: 'programmes' })
export class Programme {
  @PrimaryColumn()
  id!: string;

  @Column()
  name!: string;

  @Column({ type: 'text' })
  partner!: Marketplace;

  /** The marketplaces whose exports count in the programme, in alphabetical order. */
  @Column({ type: 'text', array: true })
  marketplaces!: Marketplace[];

  @Column({ type: 'text' })
  kind!: ProgrammeKind;

  @Column({ name: 'all_india' })
  allIndia!: boolean;

  @Column({ type: 'char', length: 2, array: true })
  states!: string[];

  @Column({ name: 'starts_on', type: 'date', nullable: true, transformer: calendarDate })
  startsOn!: string | null;

  @Column({ name: 'export_target_usd', type: 'bigint', nullable: true, transformer: bigintNumber })
  exportTargetUsd!: number | null;

  @Column({ name: 'export_target_basis', type: 'text', nullable: true })
  exportTargetBasis!: TargetBasis | null;

  @Column({ name: 'export_target_deadline', type: 'date', nullable: true, transformer: calendarDate })
  exportTargetDeadline!: string | null;

  @Column({ name: 'training_target_msmes', type: 'integer', nullable: true })
  trainingTargetMsmes!: number | null;

  @Column({ name: 'training_target_deadline', type: 'date', nullable: true, transformer: calendarDate })
  trainingTargetDeadline!: string | null;

  @Column({ name: 'milestone_step_usd', type: 'bigint', nullable: true, transformer: bigintNumber })
  milestoneStepUsd!: number | null;

  @Column()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by' })
  updatedBy!: string;
}

export function coversState(programme: Pick<Programme, 'allIndia' | 'states'>, stateCode: string): boolean {
  return programme.allIndia || programme.states.includes(stateCode);
}
