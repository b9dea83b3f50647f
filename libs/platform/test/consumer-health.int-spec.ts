import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SellerApproved, TopicSpecs } from '@niryat/contracts';
import { KafkaClient, MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { eventually, serviceTestEnv, uniqueSuffix } from '@niryat/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BatchConsumerHost, configureHttp, HTTP_APP_OPTIONS, loadEnv, PlatformModule, schemaOfService, ServiceEnv } from '../src';

const namespace = `t-consumer-health-${uniqueSuffix()}`;

@Injectable()
class ApprovalsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient) {
    const env = loadEnv(ServiceEnv, 'demo', serviceTestEnv('demo', namespace, { PORT: '3999', AUTH_CREDENTIALS: '' }));
    super(dataSource, kafka, { groupId: 'demo.approvals', topics: [SellerApproved.topic], handles: [SellerApproved], schema: schemaOfService('demo', env), handler: async () => undefined });
  }
}

/** /health with a consumer whose stored position is beyond the log it reads: 503, naming the partition. */
describe('/health and consumer positions (real Kafka and Postgres)', () => {
  let app: INestApplication;
  const env = loadEnv(ServiceEnv, 'demo', serviceTestEnv('demo', namespace, { PORT: '3999', AUTH_CREDENTIALS: '' }));
  const schema = schemaOfService('demo', env);

  beforeAll(async () => {
    // Compiling migrates the schema (DB_MIGRATE_ON_START); the consumer starts only at init.
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot({ name: 'demo', env, migrations: MESSAGING_MIGRATIONS })],
      providers: [ApprovalsConsumer],
    }).compile();
    app = configureHttp(moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS }), 'demo');
    const kafka = app.get(KafkaClient);
    await kafka.ensureTopics(TopicSpecs.filter((spec) => spec.name === SellerApproved.topic));
    // The database says partition 2 was applied up to offset 500; the topic is new and empty.
    await app.get(DataSource).query(`INSERT INTO "${schema}".consumer_offsets (consumer_group, topic, "partition", next_offset) VALUES ('demo.approvals', $1, 2, 500)`, [
      kafka.topic(SellerApproved.topic),
    ]);
    await app.init();
  });
  afterAll(() => app?.close());

  it('answers 503 naming group, topic, partition and both offsets while a stored position is ahead of the log', async () => {
    const answer = await eventually(async () => {
      const health = await request(app.getHttpServer()).get('/health');
      expect(health.status).toBe(503);
      return health.body as { details: { consumers: { status: string; partitions: Record<string, unknown>[] } } };
    });
    expect(answer.details.consumers).toMatchObject({
      status: 'down',
      partitions: [{ group: 'demo.approvals', partition: 2, kind: 'ahead-of-log', storedOffset: '500', logEnd: '0', message: expect.stringContaining('npm run consumers') }],
    });
  });
});
