import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { MARKETPLACES, partnerOrdersTopic } from '@niryat/contracts';
import { logLevel } from 'kafkajs';
import { childConfig, failed, stopOnRequest, tell, watchGroup } from '../child';
import { NaiveModule } from './naive.module';
import { NaiveOrdersService } from './naive-orders.service';

/**
 * Variant "naive": a NestJS Kafka microservice (Transport.KAFKA, kafkajs underneath) with Nest's
 * defaults: one consumer, eachMessage, auto-commit, one partition at a time. `postfixId: ''` keeps
 * the group id as given (Nest appends "-server" otherwise); nothing else is tuned. With
 * `publishExports` (the naive chain, apps/bench), it also publishes the export events.
 */
async function main(): Promise<void> {
  const config = childConfig();
  const namespaced = (name: string) => (config.namespace ? `${config.namespace}.${name}` : name);
  const topics = MARKETPLACES.map((partner) => namespaced(partnerOrdersTopic(partner)));
  const groupId = config.groupId ?? namespaced('bench-naive');
  watchGroup(config, groupId);
  const publish = config.publishExports ? { kafkaBrokers: config.kafkaBrokers, namespace: config.namespace } : undefined;
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    NaiveModule.forRoot({ databaseUrl: config.databaseUrl, schema: config.schema, topics, publish }),
    {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'niryat-bench-naive', brokers: config.kafkaBrokers.split(','), logLevel: logLevel.WARN },
        consumer: { groupId, allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        run: { autoCommit: true },
        postfixId: '',
      },
      logger: ['error', 'warn'],
    },
  );
  stopOnRequest(config, async () => {
    const stats = { ...app.get(NaiveOrdersService).stats };
    await app.close();
    return stats;
  });
  const startedAt = Date.now();
  await app.listen(); // connects, subscribes, and kafkajs run() returns once the group is joined
  await tell({ kind: 'ready', at: Date.now(), startedAt });
}

main().catch(failed);
