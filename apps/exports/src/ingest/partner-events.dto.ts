import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsString } from 'class-validator';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';

/** One event of a batch: its type and its payload, as on the Kafka topic. */
export class PartnerEventItemDto {
  @ApiProperty({ example: 'niryat.partner.order.shipped.v1' })
  @IsString()
  type!: string;

  @ApiProperty({ description: 'The payload, exactly as documented in docs/asyncapi.yaml for that type' })
  @IsObject()
  data!: Record<string, unknown>;
}

export class PartnerEventBatchDto {
  @ApiProperty({ type: [PartnerEventItemDto], description: 'Up to 500 events' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PartnerEventItemDto)
  events!: PartnerEventItemDto[];
}

export type EventOutcome =
  | { index: number; eventId: string; status: 'accepted' | 'duplicate' }
  | { index: number; eventId?: string; status: 'rejected'; code: string; reason: string; errors?: { field: string; code: string; message: string }[] };
