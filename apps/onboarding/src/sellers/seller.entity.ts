import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MsmeCategory } from '@niryat/contracts';
import type { SellerStatus } from '../review/seller-workflow';

export interface SellerAddress {
  line1: string;
  line2?: string;
  city: string;
  pinCode: string;
}

export interface SellerContact {
  email: string;
  mobile: string;
}

export interface SellerProduct {
  hsCode: string;
  description: string;
}

/** Postgres bigint arrives as a string; every amount here is a safe integer of rupees. */
const rupees = { to: (value: number) => value, from: (value: string | null) => (value === null ? value : Number(value)) };

@Entity({ name: 'sellers' })
export class Seller {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'legal_name' })
  legalName!: string;

  @Column({ name: 'trade_name', type: 'text', nullable: true })
  tradeName!: string | null;

  @Column()
  constitution!: string;

  @Column({ type: 'char', length: 15 })
  gstin!: string;

  @Column({ type: 'char', length: 10 })
  pan!: string;

  @Column({ name: 'udyam_number' })
  udyamNumber!: string;

  @Column({ type: 'char', length: 10 })
  iec!: string;

  @Column({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @Column()
  district!: string;

  @Column({ type: 'jsonb' })
  address!: SellerAddress;

  @Column({ type: 'jsonb' })
  contact!: SellerContact;

  @Column({ name: 'bank_ifsc', type: 'char', length: 11 })
  bankIfsc!: string;

  @Column({ name: 'bank_account_number' })
  bankAccountNumber!: string;

  @Column({ type: 'jsonb' })
  products!: SellerProduct[];

  @Column({ name: 'odop_product', type: 'text', nullable: true })
  odopProduct!: string | null;

  @Column({ name: 'investment_rupees', type: 'bigint', transformer: rupees })
  investmentRupees!: number;

  @Column({ name: 'turnover_rupees', type: 'bigint', transformer: rupees })
  turnoverRupees!: number;

  @Column({ name: 'export_turnover_rupees', type: 'bigint', transformer: rupees })
  exportTurnoverRupees!: number;

  @Column({ type: 'text' })
  classification!: MsmeCategory;

  @Column({ name: 'classification_rule' })
  classificationRule!: string;

  @Column({ name: 'programmes_applied', type: 'text', array: true })
  programmesApplied!: string[];

  @Column({ type: 'text' })
  status!: SellerStatus;

  @Column({ name: 'registered_by' })
  registeredBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
