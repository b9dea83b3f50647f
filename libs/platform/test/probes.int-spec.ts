import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SellerApproved, TopicSpecs } from '@niryat/contracts';
import { KafkaClient, MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { eventually, metricValue, parsePrometheusText, serviceTestEnv, testInfra, uniqueSuffix } from '@niryat/testing';
import { createServer, Server, Socket, connect } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BatchConsumerHost, configureHttp, HTTP_APP_OPTIONS, loadEnv, PlatformModule, schemaOfService, ServiceEnv } from '../src';

const namespace = `t-probes-${uniqueSuffix()}`;
const GROUP = 'demo.probes';

/** A TCP hop in front of PostgreSQL that a test can cut (every connection reset, new ones refused) and mend. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private cut = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  sever(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  mend(): void {
    this.cut = false;
  }

  async stop(): Promise<void> {
    this.sever();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const database = new URL(testInfra().databaseUrl);
const proxy = new CuttableProxy({ host: database.hostname, port: Number(database.port || 5432) });
const env = () =>
  loadEnv(
    ServiceEnv,
    'demo',
    serviceTestEnv('demo', namespace, { PORT: '3999', AUTH_CREDENTIALS: '', DATABASE_URL: Object.assign(new URL(database.href), { host: `127.0.0.1:${proxy.port}` }).href }),
  );

@Injectable()
class ApprovalsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient) {
    super(dataSource, kafka, { groupId: GROUP, topics: [SellerApproved.topic], handles: [SellerApproved], schema: schemaOfService('demo', env()), handler: async () => undefined });
  }
}

interface HealthBody {
  status: string;
  error?: Record<string, { status: string; message?: string; groups?: Record<string, { state: string }> }>;
  details: Record<string, { status: string; message?: string; groups?: Record<string, { state: string; partitions: number }> }>;
}

/** A metric's value in Prometheus text (the sum of the series whose labels include `labels`), or undefined. */
const metric = (text: string, name: string, labels: Record<string, string> = {}) => metricValue(parsePrometheusText(text), name, labels);

/**
 * The probes: /health/live answers while the process does, whatever the database and Kafka do;
 * /health/ready answers 503 naming the part that is not ready (the database, a consumer that is not
 * a member of its group). /metrics keeps answering when a scrape-time source cannot.
 */
describe('liveness, readiness and /metrics of a service (real Kafka, Postgres behind a proxy a test can cut)', () => {
  let app: INestApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    await proxy.start();
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot({ name: 'demo', env: env(), migrations: MESSAGING_MIGRATIONS })],
      providers: [ApprovalsConsumer],
    }).compile();
    app = configureHttp(moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS }), 'demo');
    await app.get(KafkaClient).ensureTopics(TopicSpecs.filter((spec) => spec.name === SellerApproved.topic));
    await app.init();
  });
  afterAll(async () => {
    proxy.mend();
    await app?.close();
    await proxy.stop();
  });

  it('is live at once and ready once its consumer is a member of its group, holding its partitions', async () => {
    expect((await get('/health/live')).status).toBe(200);
    const ready = await eventually(async () => {
      const answer = await get('/health/ready');
      expect(answer.status).toBe(200);
      return answer.body as HealthBody;
    });
    expect(ready.details).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      consumers: { status: 'up', groups: { [GROUP]: { state: 'member', partitions: TopicSpecs.find((spec) => spec.name === SellerApproved.topic)?.partitions } } },
      positions: { status: 'up' },
    });
  });

  it('serves Prometheus text without a credential: lag per partition, membership, the outbox, Node', async () => {
    const answer = await eventually(async () => {
      const scraped = await get('/metrics');
      expect(scraped.status).toBe(200);
      expect(metric(scraped.text, 'niryat_consumer_lag', { group: GROUP, partition: '0' })).toBe(0);
      return scraped;
    });
    expect(answer.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = answer.text;
    expect(metric(text, 'niryat_consumer_member', { group: GROUP, service: 'demo' })).toBe(1);
    expect(metric(text, 'niryat_consumer_assigned_partitions', { group: GROUP })).toBeGreaterThan(0);
    expect(metric(text, 'niryat_outbox_backlog')).toBe(0);
    expect(metric(text, 'niryat_set_aside_records', { kind: 'dead_letter' })).toBe(0);
    expect(metric(text, 'niryat_metrics_source_up', { source: 'outbox' })).toBe(1);
    expect(metric(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    // Probes and scrapes are not counted as traffic; a refused request is, by its route template.
    expect(text).not.toMatch(/niryat_http_requests_total\{[^}]*route="\/(metrics|health)/);
    expect((await get('/v1/nothing-here')).status).toBe(404);
    const after = (await get('/metrics')).text;
    expect(metric(after, 'niryat_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
  });

  it('is not ready while its consumer is not a member of its group, and stays live', async () => {
    const host = app.get(ApprovalsConsumer);
    await host.consumer.stop();
    const answer = await get('/health/ready');
    expect(answer.status).toBe(503);
    expect((answer.body as HealthBody).error).toEqual({
      consumers: expect.objectContaining({ status: 'down', message: expect.stringContaining(`${GROUP} (stopped)`), groups: { [GROUP]: expect.objectContaining({ state: 'stopped' }) } }),
    });
    expect((await get('/health/live')).status).toBe(200);
    expect(metric((await get('/metrics')).text, 'niryat_consumer_member', { group: GROUP })).toBe(0);

    await host.consumer.start();
    await eventually(async () => expect((await get('/health/ready')).status).toBe(200));
  });

  it('is not ready while the database is unreachable, names it, stays live, and /metrics still answers', async () => {
    proxy.sever();
    try {
      const answer = await eventually(async () => {
        const ready = await get('/health/ready');
        expect(ready.status).toBe(503);
        return ready.body as HealthBody;
      });
      expect(Object.keys(answer.error ?? {})).toEqual(['database']);
      expect(answer.details.kafka).toEqual({ status: 'up' });
      expect((await get('/health/live')).status).toBe(200);
      const scraped = await get('/metrics');
      expect(scraped.status).toBe(200);
      expect(metric(scraped.text, 'niryat_metrics_source_up', { source: 'outbox' })).toBe(0);
      expect(metric(scraped.text, 'niryat_outbox_backlog')).toBe(0); // as it was at the last scrape that could read it
      // /health answers as before: 503 naming the database.
      const health = await get('/health');
      expect([health.status, (health.body as HealthBody).details.database.status]).toEqual([503, 'down']);
    } finally {
      proxy.mend();
    }
    await eventually(async () => expect((await get('/health/ready')).status).toBe(200), { timeoutMs: 30_000 });
    await eventually(async () => expect(metric((await get('/metrics')).text, 'niryat_metrics_source_up', { source: 'outbox' })).toBe(1));
  });
});
