import 'reflect-metadata';
import { MARKETPLACES, partnerOrdersTopic } from '@niryat/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { childConfig, failed, stopOnRequest, tell, watchGroup } from './child';

/**
 * Variant "ceiling": what kafkajs alone reads from this broker on this machine. A plain consumer
 * with the fetch settings of the service's BatchConsumer (eachBatch, maxWaitTimeInMs 100, kafkajs'
 * default fetch sizes), doing nothing with the records but counting them.
 */
async function main(): Promise<void> {
  const config = childConfig();
  const topics = MARKETPLACES.map((partner) => `${config.namespace}.${partnerOrdersTopic(partner)}`);
  const groupId = `${config.namespace}.bench-ceiling`;
  watchGroup(config, groupId);
  const kafka = new Kafka({ clientId: 'niryat-bench-ceiling', brokers: config.kafkaBrokers.split(','), logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 100 });
  let records = 0;
  let batches = 0;
  stopOnRequest(config, async () => {
    await consumer.disconnect();
    return { records, batches };
  });
  const startedAt = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }) => {
      records += batch.messages.length;
      batches += 1;
      if (records >= config.expectedRecords && records - batch.messages.length < config.expectedRecords) {
        await tell({ kind: 'consumed', at: Date.now(), records, batches });
      }
    },
  });
  await tell({ kind: 'ready', at: Date.now(), startedAt });
}

main().catch(failed);
