import { IsBoolean, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { ServiceEnv } from '@niryat/platform';

export class ExportsEnv extends ServiceEnv {
  override PORT = 3002;

  /**
   * Key that encrypts partner signing secrets at rest (AES-256-GCM): 32 random bytes, base64.
   * Without it the service starts, but cannot create partner keys nor verify signed requests.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PARTNER_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters)' })
  PARTNER_KEY_ENCRYPTION_KEY?: string;

  /** How far a signed request's timestamp may be from now, either way. */
  @IsInt()
  @Min(30)
  @Max(3600)
  PARTNER_SIGNATURE_TOLERANCE_SECONDS: number = 300;

  @IsInt()
  @Min(1)
  @Max(500)
  PARTNER_BATCH_MAX_EVENTS: number = 500;

  /** Largest accepted body of POST /v1/partner-events; larger is a 413. */
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  PARTNER_BODY_LIMIT_BYTES: number = 2 * 1024 * 1024;

  /** Requests per minute per partner on the HTTP ingest; more is a 429 with Retry-After. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  PARTNER_RATE_LIMIT_PER_MINUTE: number = 600;

  /**
   * Partitions of the partner orders topic one instance works on at once; their chunks ready
   * together are applied in one transaction. Unset: every partition of the topic (npm run bench:
   * the lowest latency from a partner's send to the report totals, at the backlog rate of one
   * transaction per partition for 3 of them).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_PARTITIONS_CONCURRENTLY?: number;

  /**
   * Also read the retired shared topic `niryat.partner.orders.v1`, where a record's ce_source alone
   * names the partner (anyone who may write it may speak for any partner): only while partners
   * move to their own topics (docs/migration-notes.md), off by default.
   */
  @IsBoolean()
  EXPORTS_LEGACY_PARTNER_TOPIC: boolean = false;

  /** Events applied per database transaction by the partner order consumer. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_CHUNK_SIZE: number = 1_000;

  /**
   * The most a single shipment may be worth, in whole rupees; a shipment valued above it is refused
   * (`EXPORTS.IMPLAUSIBLE_SHIPMENT_VALUE`) rather than counted. The default is INR 500 crore, the
   * annual turnover ceiling of a medium enterprise under the MSME definition: no one shipment of an
   * MSME seller is worth more than its whole year may be.
   */
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER / 100)
  EXPORTS_MAX_SHIPMENT_INR: number = 5_000_000_000;

  /**
   * Days a partner event waits parked for its seller account to be linked; then it is dead-lettered
   * (`EXPORTS.PARKED_EVENT_EXPIRED`, replayable once the account is linked) and shown on its order.
   */
  @IsNumber()
  @Min(0)
  @Max(3_650)
  PARKED_EVENT_TTL_DAYS: number = 30;
}
