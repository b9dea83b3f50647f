import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@niryat/platform';

export class ReportingEnv extends ServiceEnv {
  override PORT = 3004;

  /** Events applied per database transaction by the reporting consumers. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_CHUNK_SIZE: number = 1_000;
}
