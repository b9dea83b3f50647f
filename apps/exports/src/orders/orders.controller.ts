import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { NotFoundError } from '@niryat/platform';
import { IsIn, Matches } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { MARKETPLACES, PARTNER_ID_PATTERN } from '@niryat/contracts';

export class OrderParams {
  @IsIn(MARKETPLACES)
  partner!: string;

  @Matches(PARTNER_ID_PATTERN)
  orderId!: string;
}

/**
 * One order as the pipeline sees it: its state, its history in sequence order, its export and
 * corrections, and the events of it the pipeline refused, with why (`refusals`): what the ingest
 * could not know when it accepted them. An order whose every event was refused answers 200 with
 * `status: null` and its refusals.
 */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':partner/:orderId')
  @Roles('partner', 'reviewer', 'analyst')
  async get(@Param() { partner, orderId }: OrderParams, @CurrentPrincipal() principal: Principal) {
    const notFound = () => new NotFoundError('EXPORTS.ORDER_NOT_FOUND', `no order ${orderId} from ${partner}`, { partner, orderId });
    if (principal.role === 'partner' && principal.scope !== partner) throw notFound();
    // One snapshot for all five reads: read one by one, a consumer transaction committing in between
    // showed an order's history with the newest event beside the status from before it.
    const view = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.read(manager, partner, orderId));
    if (!view) throw notFound();
    return view;
  }

  private async read(manager: EntityManager, partner: string, orderId: string) {
    await manager.query('SET TRANSACTION READ ONLY');
    const [order] = await manager.query(
      `SELECT partner, order_id AS "orderId", seller_id AS "sellerId", seller_account_id AS "sellerAccountId", currency,
              destination_country AS "destinationCountry", status, export_id AS "exportId", updated_at AS "updatedAt"
         FROM orders WHERE partner = $1 AND order_id = $2`,
      [partner, orderId],
    );
    const refusals = await manager.query(
      `SELECT event_id AS "eventId", event_type AS "type", code, reason, refused_at AS "refusedAt"
         FROM refused_order_events WHERE partner = $1 AND order_id = $2 ORDER BY refused_at, event_id`,
      [partner, orderId],
    );
    // An order all of whose events were refused has no row, but the partner is told why.
    if (!order && refusals.length === 0) return undefined;
    if (!order) return { partner, orderId, status: null, history: [], export: null, adjustments: [], refusals };
    const history = await manager.query(
      `SELECT sequence, event_id AS "eventId", kind, occurred_at AS "occurredAt", applied, received_at AS "receivedAt"
         FROM order_events WHERE partner = $1 AND order_id = $2 ORDER BY sequence`,
      [partner, orderId],
    );
    const [exported] = await manager.query(
      `SELECT export_id AS "exportId", to_char(shipment_date, 'YYYY-MM-DD') AS "shipmentDate", currency, value_minor::text AS "valueMinor",
              value_usd_minor::text AS "valueUsdMinor", value_inr_minor::text AS "valueInrMinor", fx_rate AS "fxRate", usd_rate AS "usdRate", lines
         FROM exports WHERE partner = $1 AND order_id = $2`,
      [partner, orderId],
    );
    const adjustments = exported
      ? await manager.query(
          `SELECT adjustment_id AS "adjustmentId", reason, source_event_id AS "sourceEventId", to_char(adjustment_date, 'YYYY-MM-DD') AS "adjustmentDate",
                  value_minor::text AS "valueMinor", value_usd_minor::text AS "valueUsdMinor", value_inr_minor::text AS "valueInrMinor", lines
             FROM export_adjustments WHERE export_id = $1 ORDER BY recorded_at`,
          [exported.exportId],
        )
      : [];
    return { ...order, history, export: exported ?? null, adjustments, refusals };
  }
}
