import { Controller, DynamicModule, Inject, Module, Type } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KafkaHeaders } from '@niryat/contracts';
import { NAIVE_ENTITIES } from './entities';
import { NaiveOrdersService } from './naive-orders.service';

export interface NaiveOptions {
  databaseUrl: string;
  schema: string;
  /** The full (namespaced) topic name: Nest's Kafka transport subscribes to the pattern as is. */
  topic: string;
}

/**
 * The controller of the naive variant: `@EventPattern(topic)`, one record per call. Built per run
 * because the pattern is the topic name, which carries the run's namespace.
 */
export function naiveOrdersController(topic: string): Type<unknown> {
  @Controller()
  class NaiveOrdersController {
    constructor(@Inject(NaiveOrdersService) private readonly orders: NaiveOrdersService) {}

    @EventPattern(topic)
    async onPartnerOrderEvent(@Payload() value: unknown, @Ctx() context: KafkaContext): Promise<void> {
      const message = context.getMessage();
      await this.orders.handle(value, message.headers as KafkaHeaders, {
        topic: context.getTopic(),
        partition: context.getPartition(),
        offset: message.offset,
      });
    }
  }
  return NaiveOrdersController;
}

@Module({})
export class NaiveModule {
  static forRoot(options: NaiveOptions): DynamicModule {
    return {
      module: NaiveModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          schema: options.schema,
          entities: NAIVE_ENTITIES,
          // The schema comes from the service's real migrations, run by the bench before this starts.
          synchronize: false,
          logging: ['error'],
          poolSize: 10,
          applicationName: 'niryat-bench-naive',
        }),
      ],
      controllers: [naiveOrdersController(options.topic)],
      providers: [NaiveOrdersService],
    };
  }
}
