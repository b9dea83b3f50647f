import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ServiceEnv } from '@niryat/platform';

export class ReportingEnv extends ServiceEnv {
  override PORT = 3004;

  /** Events applied per database transaction by the reporting consumers. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_CHUNK_SIZE: number = 1_000;

  /**
   * Partitions the reporting consumer works on at once; their chunks ready together are applied in
   * one transaction (they all update the same aggregate rows, so one transaction per partition
   * mostly waits: bench:freshness). Unset: every partition of the topics it reads.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_PARTITIONS_CONCURRENTLY?: number;
}
