import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { MARKETPLACE_ACCOUNT_ID_PATTERN, MARKETPLACES } from '@niryat/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SERVICE_ENV } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';

export class ParkedEventsQuery {
  @ApiPropertyOptional({ enum: MARKETPLACES })
  @IsOptional()
  @IsIn(MARKETPLACES)
  partner?: string;

  @ApiPropertyOptional({ example: 'FK-SELLER-7781' })
  @IsOptional()
  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  sellerAccountId?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

/** Partner events waiting for their seller account to be linked in onboarding. */
@ApiTags('parked events')
@ApiBearerAuth()
@Controller('v1/parked-events')
export class ParkedEventsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: ExportsEnv,
  ) {}

  @Get()
  @Roles('operator')
  async list(@Query() query: ParkedEventsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const where = `($1::text IS NULL OR partner = $1) AND ($2::text IS NULL OR seller_account_id = $2)`;
    const params = [query.partner ?? null, query.sellerAccountId ?? null];
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM parked_events WHERE ${where}`, params);
    const items = await this.dataSource.query(
      `SELECT partner, event_id AS "eventId", seller_account_id AS "sellerAccountId", order_id AS "orderId", event_type AS "type",
              payload, parked_at AS "parkedAt", parked_at + make_interval(secs => $5::float8 * 86400) AS "expiresAt"
         FROM parked_events WHERE ${where} ORDER BY parked_at, event_id LIMIT $3 OFFSET $4`,
      [...params, pageSize, (page - 1) * pageSize, this.env.PARKED_EVENT_TTL_DAYS],
    );
    const accounts = await this.dataSource.query(
      `SELECT partner, seller_account_id AS "sellerAccountId", count(*)::int AS events, min(parked_at) AS "oldest",
              min(parked_at) + make_interval(secs => $3::float8 * 86400) AS "firstExpiresAt"
         FROM parked_events WHERE ${where} GROUP BY partner, seller_account_id ORDER BY min(parked_at)`,
      [...params, this.env.PARKED_EVENT_TTL_DAYS],
    );
    return { items, page, pageSize, total, accounts };
  }
}
