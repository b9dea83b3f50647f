import { Inject, Injectable } from '@nestjs/common';
import { LEGACY_PARTNER_ORDERS_TOPIC, MARKETPLACES, PARTNER_ORDER_EVENTS, partnerOrdersTopic, PartnerOrderEventV1, TopicSpecs } from '@niryat/contracts';
import { InboundEvent, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';
import { PARTNER_ORDERS_GROUP } from './consumer-groups';
import { OrderIntake } from './order-intake';

export { PARTNER_ORDERS_GROUP };

/** Each partner's own topic, and the partner it speaks for. */
const PARTNER_TOPICS = new Map<string, string>(MARKETPLACES.map((partner) => [partnerOrdersTopic(partner), partner]));

/**
 * Partner order events from Kafka (partners' own producers and the HTTP ingest) into the order
 * pipeline. Each partner writes its own topic, which the broker lets only that partner (and this
 * service's signed ingest) write: the topic says who spoke, and a record whose ce_source says
 * otherwise is dead-lettered (`MESSAGING.SOURCE_MISMATCH`) before its id reaches the inbox. The
 * retired shared topic, where ce_source alone named the partner, is read only while
 * `EXPORTS_LEGACY_PARTNER_TOPIC` is on. The chunks of the partitions worked on at once share one transaction, the next records
 * are fetched while it applies, and a fetch waits for 64 KiB (at most 100 ms): with a transaction
 * per partition, a shipment waited behind the other partitions' transactions, and records
 * trickling in cost a fetch and a transaction each (`npm run bench`, BENCHMARKS.md).
 */
@Injectable()
export class PartnerOrdersConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, intake: OrderIntake, @Inject(SERVICE_ENV) env: ExportsEnv) {
    super(dataSource, kafka, {
      groupId: PARTNER_ORDERS_GROUP,
      topics: [...PARTNER_TOPICS.keys(), ...(env.EXPORTS_LEGACY_PARTNER_TOPIC ? [LEGACY_PARTNER_ORDERS_TOPIC] : [])],
      expectedSources: PARTNER_TOPICS,
      handles: PARTNER_ORDER_EVENTS,
      schema: schemaOfService('exports', env),
      maxChunkSize: env.CONSUMER_CHUNK_SIZE,
      partitionsConcurrently: env.CONSUMER_PARTITIONS_CONCURRENTLY ?? partnerPartitions(),
      partitionsInOneTransaction: true,
      fetchWhileApplying: true,
      fetchMinBytes: 64 * 1024,
      handler: (events, manager) => intake.intake(manager, events as InboundEvent<PartnerOrderEventV1>[]),
    });
  }
}

/** Every partition of the partner topics: all of them are worked on at once unless configured. */
function partnerPartitions(): number {
  return TopicSpecs.filter((spec) => PARTNER_TOPICS.has(spec.name)).reduce((sum, spec) => sum + spec.partitions, 0);
}
