import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ProgrammeDefined, ProgrammeSnapshotV1, ProgrammeUpdated } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, NotFoundError, OutboxRelayHost } from '@niryat/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DefineProgrammeDto, ProgrammeDefinitionDto, UpdateProgrammeDto } from './programme.dto';
import { Programme } from './programme.entity';
import { SEED_PROGRAMMES } from './programme-seeds';

const SEED_ACTOR = 'system:programme-seed';

export function programmeNotFound(id: string): NotFoundError {
  return new NotFoundError('ONBOARDING.PROGRAMME_NOT_FOUND', `programme ${id} does not exist`, { programmeId: id });
}

/** The programme catalogue: operators define and update programmes; every change is a full-snapshot event. */
@Injectable()
export class ProgrammesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProgrammesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  /** Defines the seed programmes that are missing; several replicas booting at once define each once. */
  async onApplicationBootstrap(): Promise<void> {
    for (const seed of SEED_PROGRAMMES) {
      const defined = await this.dataSource.transaction((manager) => this.insertIfMissing(manager, seed, SEED_ACTOR));
      if (defined) this.logger.log(`seeded programme ${seed.id}`);
    }
    this.relay.relay.nudge();
  }

  list(): Promise<Programme[]> {
    return this.dataSource.getRepository(Programme).find({ order: { id: 'ASC' } });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Programme> {
    const programme = await manager.findOneBy(Programme, { id });
    if (!programme) throw programmeNotFound(id);
    return programme;
  }

  async define(dto: DefineProgrammeDto, actor: string): Promise<Programme> {
    const programme = await this.dataSource.transaction(async (manager) => {
      const created = await this.insertIfMissing(manager, dto, actor);
      if (!created) throw new ConflictError('ONBOARDING.PROGRAMME_EXISTS', `programme ${dto.id} already exists`, { programmeId: dto.id });
      return created;
    });
    this.relay.relay.nudge();
    return programme;
  }

  async update(id: string, dto: UpdateProgrammeDto, actor: string): Promise<Programme> {
    const programme = await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(Programme, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw programmeNotFound(id);
      if (current.version !== dto.expectedVersion) {
        throw new ConflictError('ONBOARDING.STALE_PROGRAMME_VERSION', `programme ${id} is at version ${current.version}, not ${dto.expectedVersion}`, {
          currentVersion: current.version,
        });
      }
      const { expectedVersion: _version, ...definition } = dto;
      Object.assign(current, this.columns(definition), { version: current.version + 1, updatedBy: actor });
      await manager.save(current);
      await this.outbox.append(manager, [outboxEvent(ProgrammeUpdated, this.snapshot(current, actor))]);
      return current;
    });
    this.relay.relay.nudge();
    return programme;
  }

  private async insertIfMissing(manager: EntityManager, dto: DefineProgrammeDto, actor: string): Promise<Programme | null> {
    const inserted: { id: string }[] = await manager
      .createQueryBuilder()
      .insert()
      .into(Programme)
      .values({ id: dto.id, ...this.columns(dto), version: 1, updatedBy: actor })
      .orIgnore()
      .returning(['id'])
      .execute()
      .then((result) => result.raw);
    if (inserted.length === 0) return null;
    const programme = await manager.findOneByOrFail(Programme, { id: dto.id });
    await this.outbox.append(manager, [outboxEvent(ProgrammeDefined, this.snapshot(programme, actor))]);
    return programme;
  }

  private columns(dto: ProgrammeDefinitionDto): Partial<Programme> {
    return {
      name: dto.name,
      partner: dto.partner,
      marketplaces: [...new Set(dto.marketplaces ?? [dto.partner])].sort(),
      kind: dto.kind,
      allIndia: dto.allIndia,
      states: [...dto.states].sort(),
      startsOn: dto.startsOn ?? null,
      exportTargetUsd: dto.exportTargetUsd ?? null,
      exportTargetBasis: dto.exportTargetBasis ?? null,
      exportTargetDeadline: dto.exportTargetDeadline ?? null,
      trainingTargetMsmes: dto.trainingTargetMsmes ?? null,
      trainingTargetDeadline: dto.trainingTargetDeadline ?? null,
      milestoneStepUsd: dto.milestoneStepUsd ?? null,
    };
  }

  private snapshot(p: Programme, actor: string): ProgrammeSnapshotV1 {
    const optional = <T>(value: T | null) => (value === null ? undefined : value);
    return {
      programmeId: p.id,
      name: p.name,
      partner: p.partner,
      marketplaces: p.marketplaces,
      kind: p.kind,
      allIndia: p.allIndia,
      states: p.states,
      startsOn: optional(p.startsOn),
      exportTargetUsd: optional(p.exportTargetUsd),
      exportTargetBasis: optional(p.exportTargetBasis),
      exportTargetDeadline: optional(p.exportTargetDeadline),
      trainingTargetMsmes: optional(p.trainingTargetMsmes),
      trainingTargetDeadline: optional(p.trainingTargetDeadline),
      milestoneStepUsd: optional(p.milestoneStepUsd),
      version: p.version,
      changedAt: p.updatedAt.toISOString(),
      changedBy: actor,
    };
  }
}
