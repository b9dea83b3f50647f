import { Inject, Injectable } from '@nestjs/common';
import { PARTNER_ORDER_EVENTS, PartnerOrderEventV1, Topics, TopicSpecs } from '@niryat/contracts';
import { InboundEvent, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';
import { PARTNER_ORDERS_GROUP } from './consumer-groups';
import { OrderIntake } from './order-intake';

export { PARTNER_ORDERS_GROUP };

/**
 * Partner order events from Kafka (partners' own producers and the HTTP ingest) into the order
 * pipeline. The chunks of the partitions worked on at once share one transaction, the next records
 * are fetched while it applies, and a fetch waits for 64 KiB (at most 100 ms): with a transaction
 * per partition, a shipment waited behind the other partitions' transactions, and records
 * trickling in cost a fetch and a transaction each (`npm run bench`, BENCHMARKS.md).
 */
@Injectable()
export class PartnerOrdersConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, intake: OrderIntake, @Inject(SERVICE_ENV) env: ExportsEnv) {
    super(dataSource, kafka, {
      groupId: PARTNER_ORDERS_GROUP,
      topics: [Topics.partnerOrders],
      handles: PARTNER_ORDER_EVENTS,
      schema: schemaOfService('exports', env),
      maxChunkSize: env.CONSUMER_CHUNK_SIZE,
      partitionsConcurrently: env.CONSUMER_PARTITIONS_CONCURRENTLY ?? TopicSpecs.find((spec) => spec.name === Topics.partnerOrders)?.partitions,
      partitionsInOneTransaction: true,
      fetchWhileApplying: true,
      fetchMinBytes: 64 * 1024,
      handler: (events, manager) => intake.intake(manager, events as InboundEvent<PartnerOrderEventV1>[]),
    });
  }
}
