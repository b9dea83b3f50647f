import { Injectable, Logger } from '@nestjs/common';
import { ExportAdjusted, ExportFactsV1, ExportRecorded, fromKafkaHeaders, KafkaHeaders, Marketplace, parsePayload } from '@niryat/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AppliedExportFact, CatalogueProgramme, ExportingSellerMonth, ExportTotalsRow, PendingAttribution, ProcessedEvent } from './entities';
import { applyChange, attribute, CellChange, cellChanges, ExportFactKind, factIdOf } from './export-totals-cells';

/** The naive reporting's name in the inbox table (the real service's group is `reporting.views`). */
export const NAIVE_REPORTING_GROUP = 'bench.naive-reporting';

const EXPORT_EVENTS = [
  { definition: ExportRecorded, kind: 'recorded' as const },
  { definition: ExportAdjusted, kind: 'adjusted' as const },
];

export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Reporting's export totals the way the issue calls naive: one event per call, one transaction
 * per event, and in it repository `findOne` and `save()` per entity — the inbox row (idempotent by
 * event id), the fact's business id (the same export re-sent under a new event id counts once), the
 * catalogue row of each programme the export names, then for every row the export counts in
 * (`export-totals-cells.ts`: its programmes that take its marketplace, and '*') the export_totals
 * row and, for a recorded export, the seller's exporting_seller_months row (a seller new to the row
 * is one more exporting seller). An export naming a programme the catalogue does not know is set
 * aside for it, as the service does.
 *
 * Left out, each making it do LESS than the service (the comparison errs in its favour): the
 * breakdowns by destination and HS chapter, each seller's net exports per programme, programme
 * progress, the funnel's "exporting" step, republishing the changed rows (outbox + relay), stored
 * offsets (Nest auto-commits), dead-lettering what it refuses (counted instead), and the catalogue's
 * own topic (it reads the catalogue the real service left in the schema).
 */
@Injectable()
export class NaiveExportTotalsService {
  readonly stats = { received: 0, applied: 0, duplicates: 0, refacts: 0, rejected: 0, setAside: 0 };
  private readonly logger = new Logger('NaiveExportTotals');

  constructor(private readonly dataSource: DataSource) {}

  async handle(value: unknown, headers: KafkaHeaders, position: RecordPosition): Promise<void> {
    this.stats.received += 1;
    const header = fromKafkaHeaders(headers);
    if (!header.ok) return this.reject(position, header.reason);
    const { attributes } = header;
    const event = EXPORT_EVENTS.find((e) => e.definition.type === attributes.type);
    if (!event) return this.reject(position, `not an export event: ${attributes.type}`);
    const parsed = parsePayload<ExportFactsV1>(event.definition.payload, value);
    if (!parsed.ok) return this.reject(position, `invalid ${attributes.type}: ${parsed.errors.map((e) => e.field).join(', ')}`);
    const payload = parsed.payload;

    // Nest's Kafka server hands over one record at a time, partitions one after another: no two
    // transactions of this process touch a row at once, so rows are read without locks.
    await this.dataSource.transaction(async (manager) => {
      const processed = manager.getRepository(ProcessedEvent);
      const seen = await processed.findOne({ where: { consumerGroup: NAIVE_REPORTING_GROUP, eventSource: attributes.source, eventId: attributes.id } });
      if (seen) {
        this.stats.duplicates += 1;
        return;
      }
      await processed.save(
        processed.create({ consumerGroup: NAIVE_REPORTING_GROUP, eventSource: attributes.source, eventId: attributes.id, ...position, appliedAt: new Date() }),
      );
      const facts = manager.getRepository(AppliedExportFact);
      const fact = { kind: event.kind, factId: factIdOf(event.kind, payload) };
      if (await facts.findOne({ where: fact })) {
        this.stats.refacts += 1;
        return;
      }
      await facts.save(facts.create({ ...fact, appliedAt: new Date() }));
      await this.count(manager, event.kind, payload, fact.factId);
      this.stats.applied += 1;
    });
  }

  private async count(manager: EntityManager, kind: ExportFactKind, payload: ExportFactsV1, factId: string): Promise<void> {
    const catalogue = new Map<string, readonly Marketplace[] | undefined>();
    for (const programme of new Set(payload.programmes)) {
      const row = await manager.getRepository(CatalogueProgramme).findOne({ where: { programme } });
      catalogue.set(programme, row?.marketplaces ?? undefined);
    }
    const attribution = attribute(payload, (programme) => catalogue.get(programme));
    for (const programme of attribution.unknown) await this.setAside(manager, programme, kind, factId, payload);
    for (const change of cellChanges(kind, payload, attribution.programmes)) {
      const newSeller = kind === 'recorded' && (await this.enterSeller(manager, change, payload.sellerId));
      await this.addToRow(manager, change, newSeller);
    }
  }

  /** True when the seller had not exported in the row yet (now recorded). */
  private async enterSeller(manager: EntityManager, cell: CellChange, sellerId: string): Promise<boolean> {
    const members = manager.getRepository(ExportingSellerMonth);
    const key = { programme: cell.programme, stateCode: cell.stateCode, month: cell.month, sellerId };
    if (await members.findOne({ where: key })) return false;
    await members.save(members.create(key));
    return true;
  }

  private async addToRow(manager: EntityManager, change: CellChange, newSeller: boolean): Promise<void> {
    const rows = manager.getRepository(ExportTotalsRow);
    const { programme, stateCode, month } = change;
    const row =
      (await rows.findOne({ where: { programme, stateCode, month } })) ??
      rows.create({ programme, stateCode, month, valueUsdMinor: 0n, valueInrMinor: 0n, orders: 0, exportingSellers: 0, returns: 0, returnsUsdMinor: 0n, returnsInrMinor: 0n });
    Object.assign(row, applyChange(row, change, newSeller), { updatedAt: new Date() });
    await rows.save(row);
  }

  private async setAside(manager: EntityManager, programme: string, kind: ExportFactKind, factId: string, payload: ExportFactsV1): Promise<void> {
    const pending = manager.getRepository(PendingAttribution);
    if (await pending.findOne({ where: { programme, kind, factId } })) return;
    await pending.save(pending.create({ programme, kind, factId, payload, setAsideAt: new Date() }));
    this.stats.setAside += 1;
  }

  private reject(position: RecordPosition, reason: string): void {
    this.stats.rejected += 1;
    if (this.stats.rejected <= 10) this.logger.warn(`refused ${position.topic}[${position.partition}]@${position.offset}: ${reason}`);
  }
}
