import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPartner, PartnerSigned } from '../partner-auth';
import { PartnerEventBatchDto } from './partner-events.dto';
import { PartnerIngestService } from './partner-ingest.service';

@ApiTags('partner ingest')
@Controller('v1/partner-events')
export class PartnerEventsController {
  constructor(private readonly ingest: PartnerIngestService) {}

  /**
   * A signed batch of up to 500 order events. Each is validated as the consumer will and answered
   * on its own: accepted (published), duplicate (already processed, or twice in this batch) or
   * rejected with field errors. Accepted events are on the topic when this answers.
   */
  @Post()
  @HttpCode(200)
  @PartnerSigned()
  @ApiOperation({ summary: 'Send order events (signed with a partner key)' })
  send(@Body() batch: PartnerEventBatchDto, @CurrentPartner() partner: { partnerId: string }) {
    return this.ingest.ingest(partner.partnerId, batch);
  }
}
