import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Topics } from '@niryat/contracts';
import { failed, readChildConfig, stopOnRequest, tell, watchGroupJoin } from '@niryat/testing';
import { logLevel } from 'kafkajs';
import { NaiveExportTotalsService } from './naive-export-totals.service';
import { NaiveReportingModule } from './naive-reporting.module';

/** BENCH_CHILD_CONFIG of the naive reporting (README.md, "How to fork it"). */
export interface NaiveReportingConfig {
  kafkaBrokers: string;
  databaseUrl: string;
  /** Topic namespace of the run ('' for none): it reads `<namespace>.niryat.exports.export.v1`. */
  namespace: string;
  /** A schema made by reporting's real migrations, its programme catalogue filled. */
  schema: string;
  /** Kafka consumer group (default `<namespace>.bench-naive-reporting`). */
  groupId?: string;
}

/**
 * The naive reporting in a process of its own: a NestJS Kafka microservice (Transport.KAFKA,
 * kafkajs underneath) with Nest's defaults — one consumer, eachMessage, auto-commit, one partition
 * at a time. `postfixId: ''` keeps the group id as given (Nest appends "-server" otherwise).
 */
async function main(): Promise<void> {
  const config = readChildConfig<NaiveReportingConfig>('apps/bench (the naive chain of npm run bench)');
  const namespaced = (name: string) => (config.namespace ? `${config.namespace}.${name}` : name);
  const topic = namespaced(Topics.exports);
  const groupId = config.groupId ?? namespaced('bench-naive-reporting');
  watchGroupJoin(groupId);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    NaiveReportingModule.forRoot({ databaseUrl: config.databaseUrl, schema: config.schema, topic }),
    {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'niryat-bench-naive-reporting', brokers: config.kafkaBrokers.split(','), logLevel: logLevel.WARN },
        consumer: { groupId, allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        run: { autoCommit: true },
        postfixId: '',
      },
      logger: ['error', 'warn'],
    },
  );
  stopOnRequest(async () => {
    const stats = { ...app.get(NaiveExportTotalsService).stats };
    await app.close();
    return stats;
  });
  const startedAt = Date.now();
  await app.listen(); // connects, subscribes, and kafkajs run() returns once the group is joined
  await tell({ kind: 'ready', at: Date.now(), startedAt });
}

main().catch(failed);
