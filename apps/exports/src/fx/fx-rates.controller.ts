import { Body, Controller, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { IsCurrencyCode, IsIsoDate, IsRate } from '@niryat/money';
import { ConflictError, DomainError } from '@niryat/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';

export class FxRateDto {
  @ApiProperty({ example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: '2026-11-01', description: 'First day the rate applies (a shipment on or after it uses it, until a later one)' })
  @IsIsoDate()
  effectiveFrom!: string;

  @ApiProperty({ example: '88.4512', description: 'INR per ONE unit of the currency, as an exact decimal string (RBI quotes JPY per 100: divide)' })
  @IsRate()
  inrPerUnit!: string;
}

export class LoadFxRatesDto {
  @ApiProperty({ type: [FxRateDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => FxRateDto)
  rates!: FxRateDto[];
}

export class FxRatesQuery {
  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;
}

/**
 * FX reference rates, effective-dated. Loading is append-only per (currency, day): the same rate
 * again is a no-op, a different one is a 409, because exports already valued with it keep it.
 */
@ApiTags('fx rates')
@ApiBearerAuth()
@Controller('v1/fx-rates')
export class FxRatesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('analyst', 'reviewer', 'partner')
  async list(@Query() query: FxRatesQuery) {
    const rows = await this.dataSource.query(
      `SELECT currency, to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", trim_scale(inr_per_unit)::text AS "inrPerUnit", created_by AS "createdBy"
         FROM fx_rates WHERE ($1::text IS NULL OR currency = $1) ORDER BY currency, effective_from`,
      [query.currency ?? null],
    );
    return { items: rows };
  }

  @Post()
  @Roles('operator')
  async load(@Body() dto: LoadFxRatesDto, @CurrentPrincipal() principal: Principal) {
    const keys = dto.rates.map((r) => `${r.currency}/${r.effectiveFrom}`);
    const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (repeated.length > 0) {
      throw new DomainError('REQUEST.VALIDATION_FAILED', `rates repeated in the request: ${[...new Set(repeated)].join(', ')}`, HttpStatus.BAD_REQUEST);
    }
    return this.dataSource.transaction(async (manager) => {
      const inserted: { currency: string }[] = await manager.query(
        `INSERT INTO fx_rates (currency, effective_from, inr_per_unit, created_by)
         SELECT c, d, r, $4 FROM unnest($1::text[], $2::date[], $3::numeric[]) AS t(c, d, r)
         ON CONFLICT (currency, effective_from) DO NOTHING RETURNING currency`,
        [dto.rates.map((r) => r.currency), dto.rates.map((r) => r.effectiveFrom), dto.rates.map((r) => r.inrPerUnit), principal.id],
      );
      const conflicts: { currency: string; effective_from: string; inr_per_unit: string }[] = await manager.query(
        `SELECT f.currency, to_char(f.effective_from, 'YYYY-MM-DD') AS effective_from, trim_scale(f.inr_per_unit)::text AS inr_per_unit
           FROM fx_rates f JOIN unnest($1::text[], $2::date[], $3::numeric[]) AS t(c, d, r) ON f.currency = t.c AND f.effective_from = t.d
          WHERE f.inr_per_unit <> t.r`,
        [dto.rates.map((r) => r.currency), dto.rates.map((r) => r.effectiveFrom), dto.rates.map((r) => r.inrPerUnit)],
      );
      if (conflicts.length > 0) {
        throw new ConflictError('EXPORTS.FX_RATE_EXISTS', `${conflicts.length} rate(s) already exist with another value; rates are never rewritten`, {
          existing: conflicts.map((c) => ({ currency: c.currency, effectiveFrom: c.effective_from, inrPerUnit: c.inr_per_unit })),
        });
      }
      return { loaded: inserted.length, unchanged: dto.rates.length - inserted.length };
    });
  }
}
