import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { flattenValidationErrors, REVIEWED_CHANGE_FIELDS, ReviewedChangeField, SellerProfileChanged } from '@niryat/contracts';
import { classifyEnterprise } from '@niryat/india';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, OutboxRelayHost } from '@niryat/platform';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { loadVisibleSeller } from './seller-access';
import { SellerChangesService, SellerChangeView } from './seller-changes.service';
import { recordHistory } from './seller-history';
import { RegisterSellerDto } from './register-seller.dto';
import { Seller } from './seller.entity';
import { UpdateSellerProfileDto } from './update-seller-profile.dto';

const RELOCATION_FIELDS = new Set(['stateCode', 'district', 'gstin', 'udyamNumber']);

/** What a registration form would say about this seller today: the shape the registration rules check. */
function asRegistration(seller: Seller): Record<string, unknown> {
  return {
    legalName: seller.legalName,
    tradeName: seller.tradeName ?? undefined,
    constitution: seller.constitution,
    gstin: seller.gstin,
    pan: seller.pan,
    udyamNumber: seller.udyamNumber,
    iec: seller.iec,
    stateCode: seller.stateCode,
    district: seller.district,
    address: seller.address,
    contact: seller.contact,
    bankAccount: { ifsc: seller.bankIfsc, accountNumber: seller.bankAccountNumber },
    products: seller.products,
    odopProduct: seller.odopProduct ?? undefined,
    investmentInPlantAndMachinery: seller.investmentRupees,
    annualTurnover: seller.turnoverRupees,
    exportTurnover: seller.exportTurnoverRupees,
    programmes: seller.programmesApplied,
  };
}

/** Sellers whose state, GSTIN, Udyam number and bank account a reviewer has checked: changes to them are reviewed again. */
export function changesNeedReview(status: Seller['status']): boolean {
  return status === 'approved' || status === 'suspended';
}

/** A profile update: the seller as it is now, and the change waiting for a reviewer if the update asked for one. */
export interface ProfileUpdate {
  seller: Seller;
  pendingChange: SellerChangeView | null;
}

/**
 * Profile updates. The merged profile must pass the registration rules; the MSME category is
 * derived again under the rule in force today; a change of state, district or category is an event.
 * Of an approved (or suspended) seller, a move to another state and a new bank account are not
 * applied but wait for a reviewer (SellerChangesService); the rest of the update applies at once.
 */
@Injectable()
export class SellerProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
    private readonly changes: SellerChangesService,
  ) {}

  async update(id: string, patch: UpdateSellerProfileDto, principal: Principal, now = new Date()): Promise<ProfileUpdate> {
    const result = await this.dataSource.transaction(async (manager): Promise<ProfileUpdate> => {
      const current = await loadVisibleSeller(manager, id, principal, true);
      if (current.status === 'rejected') {
        throw new ConflictError('ONBOARDING.SELLER_REJECTED', `seller ${id} was rejected; register again instead`, { currentState: current.status });
      }
      const reviewed = REVIEWED_CHANGE_FIELDS.filter((field) => patch[field] !== undefined && differs(field, patch, current));
      if (reviewed.length === 0 || !changesNeedReview(current.status)) {
        return { seller: await this.apply(manager, current, patch, principal.id, now), pendingChange: null };
      }
      // The whole update must be right now, though part of it waits: a reviewer sees only changes that could be applied.
      await this.checked(manager, current, patch);
      const direct: UpdateSellerProfileDto = { ...patch };
      for (const field of REVIEWED_CHANGE_FIELDS) delete direct[field];
      const reviewedPart: UpdateSellerProfileDto = Object.fromEntries(reviewed.map((field) => [field, patch[field]]));
      const pendingChange = await this.changes.request(manager, current, reviewed, reviewedPart, principal.id, now);
      return { seller: await this.apply(manager, current, direct, principal.id, now), pendingChange };
    });
    this.relay.relay.nudge();
    return result;
  }

  /**
   * The seller with the update applied, as registration would accept it: refuses (400, 409 for a
   * GSTIN or PAN another seller holds) what the merged profile breaks. Writes nothing.
   */
  async checked(manager: EntityManager, current: Seller, patch: UpdateSellerProfileDto): Promise<RegisterSellerDto> {
    const { relocation, ...rest } = patch;
    const merged = plainToInstance(RegisterSellerDto, { ...asRegistration(current), ...rest, ...(relocation ?? {}) });
    const errors = flattenValidationErrors(validateSync(merged, { whitelist: true, forbidNonWhitelisted: true }));
    if (errors.length > 0) {
      const fields = errors.map((e) => (relocation && RELOCATION_FIELDS.has(e.field) ? { ...e, field: `relocation.${e.field}` } : e));
      throw new DomainError('REQUEST.VALIDATION_FAILED', `${fields.length} field(s) failed validation`, HttpStatus.BAD_REQUEST, { fields });
    }
    if (merged.gstin !== current.gstin || merged.stateCode !== current.stateCode) {
      const clash: { id: string }[] = await manager.query(
        `SELECT id FROM sellers WHERE id <> $1 AND (gstin = $2 OR (pan = $3 AND state_code = $4)) LIMIT 1`,
        [current.id, merged.gstin, merged.pan, merged.stateCode],
      );
      if (clash.length > 0) {
        throw new ConflictError('ONBOARDING.DUPLICATE_SELLER', `another seller already holds this GSTIN or this PAN in that state: ${clash[0].id}`, {
          existingSellerId: clash[0].id,
        });
      }
    }
    return merged;
  }

  /** Applies the update to the locked seller in the caller's transaction: the row, the audit trail, and SellerProfileChanged when state, district or category moved. */
  async apply(manager: EntityManager, current: Seller, patch: UpdateSellerProfileDto, actor: string, now: Date): Promise<Seller> {
    const merged = await this.checked(manager, current, patch);
    const classification = classifyEnterprise(
      { investmentInPlantAndMachinery: merged.investmentInPlantAndMachinery, annualTurnover: merged.annualTurnover, exportTurnover: merged.exportTurnover },
      now,
    );
    const before = { stateCode: current.stateCode, district: current.district, classification: current.classification };
    const next: Partial<Seller> = {
      tradeName: merged.tradeName ?? null,
      gstin: merged.gstin,
      udyamNumber: merged.udyamNumber,
      stateCode: merged.stateCode,
      district: merged.district,
      address: { ...merged.address },
      contact: { ...merged.contact },
      bankIfsc: merged.bankAccount.ifsc,
      bankAccountNumber: merged.bankAccount.accountNumber,
      products: merged.products.map((p) => ({ hsCode: p.hsCode, description: p.description })),
      odopProduct: merged.odopProduct ?? null,
      investmentRupees: merged.investmentInPlantAndMachinery,
      turnoverRupees: merged.annualTurnover,
      exportTurnoverRupees: merged.exportTurnover,
      classification: classification.category,
      classificationRule: classification.ruleId,
      updatedAt: now,
    };
    const changedFields = Object.keys(next).filter(
      (key) => key !== 'updatedAt' && JSON.stringify(next[key as keyof Seller]) !== JSON.stringify(current[key as keyof Seller]),
    );
    if (changedFields.length === 0) return current;
    await manager.update(Seller, { id: current.id }, next);
    Object.assign(current, next);
    await recordHistory(manager, { sellerId: current.id, action: 'profile-updated', actor, details: { changedFields } });
    const after = { stateCode: current.stateCode, district: current.district, classification: current.classification };
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await this.outbox.append(manager, [
        outboxEvent(
          SellerProfileChanged,
          {
            sellerId: current.id,
            ...after,
            previousStateCode: before.stateCode,
            previousDistrict: before.district,
            previousClassification: before.classification,
            changedAt: now.toISOString(),
            changedBy: actor,
          },
          { occurredAt: now },
        ),
      ]);
    }
    return current;
  }
}

/** Whether the update asks for something other than what the seller has (sending the same bank account again is no change). */
function differs(field: ReviewedChangeField, patch: UpdateSellerProfileDto, current: Seller): boolean {
  if (field === 'bankAccount') {
    const bank = patch.bankAccount;
    return bank !== undefined && (bank.ifsc !== current.bankIfsc || bank.accountNumber !== current.bankAccountNumber);
  }
  const move = patch.relocation;
  return move !== undefined && (move.stateCode !== current.stateCode || move.district !== current.district || move.gstin !== current.gstin || move.udyamNumber !== current.udyamNumber);
}
