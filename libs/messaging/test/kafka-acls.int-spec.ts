import { accessOf, KAFKA_ACCESS, MARKETPLACES, partnerOrdersTopic, partnerPrincipal, SERVICES, servicePrincipal, TopicSpecs, Topics } from '@niryat/contracts';
import { secureTestInfra, testInfra, uniqueSuffix } from '@niryat/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { applyDeclaredAcls, KafkaClient } from '../src';

/**
 * The broker's SASL_SSL listener with the ACLs of libs/contracts/src/kafka-access.ts, as
 * tools/infra and the k8s KafkaUsers make them: each principal authenticated by SCRAM-SHA-512 may
 * write what the declaration says and nothing else. Topics and ACLs live in a namespace of this
 * file's own, created through the plaintext listener (a super user on the local broker).
 */
describe('Kafka ACLs from the access declaration, over SASL_SSL', () => {
  const secure = secureTestInfra();
  const namespace = `acl${uniqueSuffix()}`;
  const topic = (name: string) => `${namespace}.${name}`;
  const admin = new KafkaClient({ brokers: testInfra().kafkaBrokers.split(','), clientId: `test-${namespace}`, topicNamespace: namespace });
  const producers = new Map<string, Producer>();

  const kafkaAs = (principal: string, password = readFileSync(secure.passwordFile(principal), 'utf8').trim()) =>
    new Kafka({
      clientId: `test-${principal}`,
      brokers: [secure.kafkaBrokers],
      ssl: { ca: readFileSync(secure.caFile, 'utf8') },
      sasl: { mechanism: 'scram-sha-512', username: principal, password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 100 },
    });

  async function producerOf(principal: string): Promise<Producer> {
    let producer = producers.get(principal);
    if (!producer) {
      producer = kafkaAs(principal).producer({ allowAutoTopicCreation: false });
      await producer.connect();
      producers.set(principal, producer);
    }
    return producer;
  }

  /** 'written' or the broker's refusal. */
  async function write(principal: string, name: string): Promise<string> {
    const producer = await producerOf(principal);
    try {
      await producer.send({ topic: topic(name), acks: -1, messages: [{ key: 'k', value: `from ${principal}` }] });
      return 'written';
    } catch (error) {
      return String((error as Error).message);
    }
  }

  beforeAll(async () => {
    await admin.ensureTopics(TopicSpecs);
    await applyDeclaredAcls(await admin.admin(), namespace);
  });

  afterAll(async () => {
    await Promise.all([...producers.values()].map((p) => p.disconnect().catch(() => undefined)));
    await admin.close();
  });

  it('refuses a password that is not the principal\'s', async () => {
    const producer = kafkaAs(partnerPrincipal('amazon'), 'not-the-password').producer();
    await expect(producer.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
    await producer.disconnect();
  });

  it.each(MARKETPLACES.map((partner) => [partner]))('lets %s write its own orders topic and no other topic', async (partner) => {
    const principal = partnerPrincipal(partner);
    expect(await write(principal, partnerOrdersTopic(partner))).toBe('written');
    const others = TopicSpecs.map((spec) => spec.name).filter((name) => name !== partnerOrdersTopic(partner));
    const outcomes = await Promise.all(others.map(async (name) => [name, await write(principal, name)] as const));
    // Every other partner's topic and every domain and reporting topic is refused.
    expect(outcomes.filter(([, outcome]) => outcome === 'written').map(([name]) => name)).toEqual([]);
    expect(outcomes.every(([, outcome]) => /not authorized|authorization failed/i.test(outcome))).toBe(true);
  });

  it.each(SERVICES.map((service) => [service]))('lets the %s service write its own topics and no other service\'s', async (service) => {
    const principal = servicePrincipal(service);
    const owns = new Set(accessOf(principal).writes.map((w) => w.name));
    const outcomes = await Promise.all(TopicSpecs.map(async (spec) => [spec.name, await write(principal, spec.name)] as const));
    expect(outcomes.filter(([, o]) => o === 'written').map(([name]) => name).sort()).toEqual([...owns].filter((name) => !name.endsWith('.')).sort());
  });

  it('keeps domain and reporting topics writable by their owner only', () => {
    // The declaration itself: a topic of Topics has exactly one service writing it; partners write only their own topic.
    for (const name of Object.values(Topics)) {
      expect([name, KAFKA_ACCESS.filter((a) => a.writes.some((w) => w.pattern === 'literal' && w.name === name)).map((a) => a.principal)]).toEqual([name, [expect.stringMatching(/^niryat-/)]]);
    }
  });

  it('lets a service read only what it consumes, in its own consumer groups', async () => {
    const reporting = kafkaAs(servicePrincipal('reporting'));
    // Reporting may not read a partner's orders, even in a group of its own ...
    const spy = reporting.consumer({ groupId: topic('reporting.snoop'), retry: { retries: 0, restartOnFailure: async () => false } });
    await spy.connect();
    await expect(
      (async () => {
        await spy.subscribe({ topics: [topic(partnerOrdersTopic('amazon'))], fromBeginning: true });
        await spy.run({ eachMessage: async () => undefined });
      })(),
    ).rejects.toThrow(/not authorized|authorization failed/i);
    await spy.disconnect().catch(() => undefined);
    // ... nor join exports' group on a topic it does read, though it joins a group of its own there.
    // (kafkajs words the broker's GROUP_AUTHORIZATION_FAILED on FindCoordinator as "Failed to find group coordinator".)
    const joinAs = async (groupId: string): Promise<string> => {
      const consumer = reporting.consumer({ groupId, retry: { retries: 0, restartOnFailure: async () => false } });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic(Topics.exports)], fromBeginning: true });
      const outcome = new Promise<string>((resolve) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve('joined'));
        consumer.on(consumer.events.CRASH, (e) => resolve(String(e.payload.error.message)));
      });
      await consumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
      const result = await outcome;
      await consumer.disconnect().catch(() => undefined);
      return result;
    };
    expect(await joinAs(topic('reporting.probe'))).toBe('joined');
    expect(await joinAs(topic('exports.partner-orders'))).toMatch(/not authorized|authorization failed|failed to find group coordinator/i);
  });
});
