import { Controller, Inject, Type } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { KafkaHeaders } from '@niryat/contracts';
import { NaiveExportTotalsService } from './naive-export-totals.service';

/**
 * The naive reporting's controller: `@EventPattern(topic)`, one record per call. Built per run
 * because the pattern is the topic name, which carries the run's namespace.
 */
export function naiveExportEventsController(topic: string): Type<unknown> {
  @Controller()
  class NaiveExportEventsController {
    constructor(@Inject(NaiveExportTotalsService) private readonly totals: NaiveExportTotalsService) {}

    @EventPattern(topic)
    async onExportEvent(@Payload() value: unknown, @Ctx() context: KafkaContext): Promise<void> {
      const message = context.getMessage();
      await this.totals.handle(value, message.headers as KafkaHeaders, {
        topic: context.getTopic(),
        partition: context.getPartition(),
        offset: message.offset,
      });
    }
  }
  return NaiveExportEventsController;
}
