import { Controller, DynamicModule, Inject, Module, Type } from '@nestjs/common';
import { ClientsModule, Ctx, EventPattern, KafkaContext, Payload, Transport } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KafkaHeaders } from '@niryat/contracts';
import { logLevel } from 'kafkajs';
import { NAIVE_ENTITIES } from './entities';
import { NAIVE_EXPORTS_CLIENT, NAIVE_TOPIC_NAMESPACE, NaiveExportPublisher } from './naive-export-publisher';
import { NaiveOrdersService } from './naive-orders.service';

export interface NaiveOptions {
  databaseUrl: string;
  schema: string;
  /** The full (namespaced) topic names: Nest's Kafka transport subscribes to the patterns as they are. */
  topics: string[];
  /** Publish ExportRecorded / ExportAdjusted on the exports topic of `namespace` (the naive chain); off: the consumer alone. */
  publish?: { kafkaBrokers: string; namespace: string };
}

/**
 * The controller of the naive variant: `@EventPattern(topics)`, one record per call. Built per run
 * because the patterns are the topic names, which carry the run's namespace.
 */
export function naiveOrdersController(topics: string[]): Type<unknown> {
  @Controller()
  class NaiveOrdersController {
    constructor(@Inject(NaiveOrdersService) private readonly orders: NaiveOrdersService) {}

    @EventPattern(topics)
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
    const publish = options.publish ? publishing(options.publish) : { imports: [], providers: [] };
    return {
      module: NaiveModule,
      imports: [
        ...(publish.imports ?? []),
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
      controllers: [naiveOrdersController(options.topics)],
      providers: [NaiveOrdersService, ...(publish.providers ?? [])],
    };
  }
}

/**
 * The naive way to publish from Nest: a ClientKafka registered with ClientsModule. Producer only
 * (`producerOnlyMode`: no reply consumer, events expect no answer), kafkajs' defaults otherwise.
 */
function publishing({ kafkaBrokers, namespace }: NonNullable<NaiveOptions['publish']>): Pick<DynamicModule, 'imports' | 'providers'> {
  return {
    imports: [
      ClientsModule.register([
        {
          name: NAIVE_EXPORTS_CLIENT,
          transport: Transport.KAFKA,
          options: {
            client: { clientId: 'niryat-bench-naive-exports', brokers: kafkaBrokers.split(','), logLevel: logLevel.WARN },
            producer: { allowAutoTopicCreation: false },
            producerOnlyMode: true,
          },
        },
      ]),
    ],
    providers: [{ provide: NAIVE_TOPIC_NAMESPACE, useValue: namespace }, NaiveExportPublisher],
  };
}
