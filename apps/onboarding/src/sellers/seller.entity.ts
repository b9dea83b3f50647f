import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type SellerStatus = 'submitted' | 'approved';

@Entity({ name: 'sellers' })
export class Seller {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'legal_name' })
  legalName!: string;

  @Column({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @Column({ type: 'text', array: true })
  programmes!: string[];

  @Column({ type: 'text' })
  status!: SellerStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;
}
