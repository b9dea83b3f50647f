import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { KafkaClient } from '@niryat/messaging';
import { loadEnv } from '@niryat/platform';
import { Logger } from 'nestjs-pino';
import { childConfig, failed, stopOnRequest, tell, watchGroup } from './child';
import { ExportsEnv, ExportsModule, PARTNER_ORDERS_GROUP } from './service';

/**
 * Variant "batch": the real exports service, as `npm start` runs it (ExportsModule with its
 * PlatformModule: both consumers, the outbox relay publishing ExportRecorded, the HTTP controllers
 * registered but not listening), in a process of its own on a schema and topic namespace of its own.
 * Migrations already ran (setup, not measured); DB_MIGRATE_ON_START=true then finds nothing to do.
 */
async function main(): Promise<void> {
  const config = childConfig();
  const env = loadEnv(ExportsEnv, 'exports', {
    NODE_ENV: 'test',
    DATABASE_URL: config.databaseUrl,
    KAFKA_BROKERS: config.kafkaBrokers,
    KAFKA_TOPIC_NAMESPACE: config.namespace,
    DB_SCHEMA: config.schema,
    DB_MIGRATE_ON_START: 'true',
    LOG_LEVEL: 'warn',
    ...config.serviceEnv,
  });
  const partnerGroup = `${config.namespace}.${PARTNER_ORDERS_GROUP}`;
  watchGroup(config, partnerGroup);

  const app = await NestFactory.create(ExportsModule.forRoot(env), { bufferLogs: true, logger: ['error', 'warn'] });
  app.useLogger(app.get(Logger));
  if (app.get(KafkaClient).groupId(PARTNER_ORDERS_GROUP) !== partnerGroup) throw new Error(`unexpected consumer group name, not ${partnerGroup}`);
  stopOnRequest(config, async () => {
    await app.close();
  });
  const startedAt = Date.now();
  await app.init(); // onApplicationBootstrap: topics, outbox relay, both BatchConsumers join their groups
  await tell({ kind: 'ready', at: Date.now(), startedAt });
}

main().catch(failed);
