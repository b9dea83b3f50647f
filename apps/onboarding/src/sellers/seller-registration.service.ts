import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { SellerRegistered } from '@niryat/contracts';
import { classifyEnterprise } from '@niryat/india';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, FieldReason, OutboxRelayHost } from '@niryat/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { coversState, Programme } from '../programmes/programme.entity';
import { RegisterSellerDto } from './register-seller.dto';
import { Seller } from './seller.entity';
import { recordHistory } from './seller-history';

/** Registration: validated input becomes a submitted seller, its audit entry and its event, atomically. */
@Injectable()
export class SellerRegistrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  async register(dto: RegisterSellerDto, principal: Principal, now = new Date()): Promise<Seller> {
    const seller = await this.dataSource
      .transaction(async (manager) => {
        await this.assertProgrammesOpenTo(manager, dto.programmes, dto.stateCode);
        await this.assertNotRegistered(manager, dto, principal);
        const classification = classifyEnterprise(
          { investmentInPlantAndMachinery: dto.investmentInPlantAndMachinery, annualTurnover: dto.annualTurnover, exportTurnover: dto.exportTurnover },
          now,
        );
        const created = manager.create(Seller, {
          id: randomUUID(),
          legalName: dto.legalName,
          tradeName: dto.tradeName ?? null,
          constitution: dto.constitution,
          gstin: dto.gstin,
          pan: dto.pan,
          udyamNumber: dto.udyamNumber,
          iec: dto.iec,
          stateCode: dto.stateCode,
          district: dto.district,
          address: { ...dto.address },
          contact: { ...dto.contact },
          bankIfsc: dto.bankAccount.ifsc,
          bankAccountNumber: dto.bankAccount.accountNumber,
          products: dto.products.map((p) => ({ hsCode: p.hsCode, description: p.description })),
          odopProduct: dto.odopProduct ?? null,
          investmentRupees: dto.investmentInPlantAndMachinery,
          turnoverRupees: dto.annualTurnover,
          exportTurnoverRupees: dto.exportTurnover,
          classification: classification.category,
          classificationRule: classification.ruleId,
          programmesApplied: dto.programmes,
          status: 'submitted',
          registeredBy: principal.id,
        });
        await manager.insert(Seller, created);
        const saved = await manager.findOneByOrFail(Seller, { id: created.id });
        await recordHistory(manager, {
          sellerId: saved.id,
          action: 'registered',
          toStatus: 'submitted',
          actor: principal.id,
          details: { classification: saved.classification, classificationRule: saved.classificationRule, programmes: saved.programmesApplied },
        });
        await this.outbox.append(manager, [
          outboxEvent(
            SellerRegistered,
            {
              sellerId: saved.id,
              stateCode: saved.stateCode,
              district: saved.district,
              classification: saved.classification,
              programmes: saved.programmesApplied,
              registeredAt: saved.createdAt.toISOString(),
            },
            { occurredAt: saved.createdAt },
          ),
        ]);
        return saved;
      })
      .catch((error: unknown) => this.duplicateFromUniqueViolation(error, dto, principal));
    this.relay.relay.nudge();
    return seller;
  }

  /** Programmes must exist and be open to sellers of the declared state. */
  private async assertProgrammesOpenTo(manager: EntityManager, ids: string[], stateCode: string): Promise<void> {
    const programmes = await manager.findBy(Programme, ids.map((id) => ({ id })));
    const byId = new Map(programmes.map((p) => [p.id, p]));
    const fields: FieldReason[] = [];
    ids.forEach((id, index) => {
      const programme = byId.get(id);
      if (!programme) fields.push({ field: `programmes[${index}]`, code: 'unknownProgramme', message: `no programme '${id}'` });
      else if (!coversState(programme, stateCode)) {
        fields.push({ field: `programmes[${index}]`, code: 'programmeNotInState', message: `programme '${id}' is not open to sellers in state ${stateCode}` });
      }
    });
    if (fields.length > 0) {
      throw new DomainError('REQUEST.VALIDATION_FAILED', `${fields.length} field(s) failed validation`, HttpStatus.BAD_REQUEST, { fields });
    }
  }

  /** The same GSTIN, or the same PAN in the same state, is already a seller. */
  private async assertNotRegistered(manager: EntityManager, dto: RegisterSellerDto, principal: Principal): Promise<void> {
    const existing = await findDuplicate(manager, dto, principal);
    if (existing) throw existing;
  }

  /** A concurrent registration that won the race surfaces as a unique violation: same 409 as the check. */
  private async duplicateFromUniqueViolation(error: unknown, dto: RegisterSellerDto, principal: Principal): Promise<never> {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      const existing = await findDuplicate(this.dataSource.manager, dto, principal);
      if (existing) throw existing;
    }
    throw error;
  }
}

async function findDuplicate(manager: EntityManager, dto: RegisterSellerDto, principal: Principal): Promise<ConflictError | null> {
  const rows: { id: string; gstin: string; registered_by: string }[] = await manager.query(
    `SELECT id, gstin, registered_by FROM sellers WHERE gstin = $1 OR (pan = $2 AND state_code = $3) ORDER BY gstin = $1 DESC LIMIT 1`,
    [dto.gstin, dto.pan, dto.stateCode],
  );
  if (rows.length === 0) return null;
  const [existing] = rows;
  // Only who may see that seller learns which one it is: to anyone else the 409 confirms no more than the conflict.
  const maySee = existing.registered_by === principal.id || principal.role === 'reviewer' || principal.role === 'operator';
  return duplicate(maySee ? existing.id : null, existing.gstin === dto.gstin ? 'gstin' : 'pan-in-state');
}

function duplicate(existingSellerId: string | null, conflict: 'gstin' | 'pan-in-state'): ConflictError {
  const what = conflict === 'gstin' ? 'this GSTIN' : 'this PAN in this state';
  return new ConflictError(
    'ONBOARDING.DUPLICATE_SELLER',
    existingSellerId ? `a seller with ${what} is already registered: ${existingSellerId}` : `a seller with ${what} is already registered`,
    existingSellerId ? { existingSellerId, conflict } : { conflict },
  );
}
