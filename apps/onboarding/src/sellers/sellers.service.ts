import { HttpStatus, Injectable } from '@nestjs/common';
import { SellerApproved, SellerRegistered } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, NotFoundError, OutboxRelayHost } from '@niryat/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RegisterSellerDto } from './register-seller.dto';
import { Seller } from './seller.entity';

/** Registration and approval: each state change and its event commit in one transaction. */
@Injectable()
export class SellersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  async register(dto: RegisterSellerDto): Promise<Seller> {
    const seller = await this.dataSource.transaction(async (manager) => {
      await this.assertProgrammesExist(manager, dto.programmes);
      const created = manager.create(Seller, {
        id: randomUUID(),
        legalName: dto.legalName,
        stateCode: dto.stateCode,
        programmes: dto.programmes,
        status: 'submitted',
        approvedAt: null,
        approvedBy: null,
      });
      await manager.insert(Seller, created);
      const saved = await manager.findOneByOrFail(Seller, { id: created.id });
      await this.outbox.append(manager, [
        outboxEvent(SellerRegistered, {
          sellerId: saved.id,
          stateCode: saved.stateCode,
          programmes: saved.programmes,
          registeredAt: saved.createdAt.toISOString(),
        }, { occurredAt: saved.createdAt }),
      ]);
      return saved;
    });
    this.relay.relay.nudge();
    return seller;
  }

  async approve(id: string, reviewedBy: string): Promise<Seller> {
    const seller = await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(Seller, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new NotFoundError('ONBOARDING.SELLER_NOT_FOUND', `seller ${id} does not exist`, { sellerId: id });
      if (current.status !== 'submitted') {
        throw new ConflictError('ONBOARDING.ILLEGAL_TRANSITION', `seller ${id} is ${current.status} and cannot be approved`, {
          currentState: current.status,
        });
      }
      current.status = 'approved';
      current.approvedAt = new Date();
      current.approvedBy = reviewedBy;
      await manager.update(Seller, { id }, { status: current.status, approvedAt: current.approvedAt, approvedBy: reviewedBy });
      await this.outbox.append(manager, [
        outboxEvent(SellerApproved, {
          sellerId: current.id,
          stateCode: current.stateCode,
          programmes: current.programmes,
          approvedAt: current.approvedAt.toISOString(),
          approvedBy: reviewedBy,
        }, { occurredAt: current.approvedAt }),
      ]);
      return current;
    });
    this.relay.relay.nudge();
    return seller;
  }

  async get(id: string): Promise<Seller> {
    const seller = await this.dataSource.getRepository(Seller).findOneBy({ id });
    if (!seller) throw new NotFoundError('ONBOARDING.SELLER_NOT_FOUND', `seller ${id} does not exist`, { sellerId: id });
    return seller;
  }

  private async assertProgrammesExist(manager: EntityManager, codes: string[]): Promise<void> {
    const rows: { code: string }[] = await manager.query(
      `SELECT code FROM programmes WHERE code = ANY($1::text[])`,
      [codes],
    );
    const known = new Set(rows.map((r) => r.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new DomainError('ONBOARDING.UNKNOWN_PROGRAMME', `unknown programme(s): ${unknown.join(', ')}`, HttpStatus.BAD_REQUEST, {
        fields: unknown.map((code) => ({ field: 'programmes', code: 'unknownProgramme', message: `no programme '${code}'` })),
      });
    }
  }
}
