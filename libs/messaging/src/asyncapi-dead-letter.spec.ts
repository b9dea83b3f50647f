import 'reflect-metadata';
import { CE, deadLetterTopicFor, EVENT_CATALOG, MARKETPLACES, partnerOrdersTopic } from '@niryat/contracts';
import { IHeaders, KafkaMessage, Message, ProducerRecord } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { parse } from 'yaml';
import { DEAD_LETTER_TOPIC_CONFIG, DeadLetterPublisher, DLQ } from './consumer/dead-letter-publisher';
import { DeadLetterCode } from './consumer/inbound-event';
import { RecordDecoder } from './consumer/record-decoder';
import { KafkaClient } from './kafka/kafka-client';

/**
 * The dead-letter half of the docs/asyncapi.yaml checks (the rest is libs/contracts/src/asyncapi.spec.ts):
 * the channel, the niryat_dlq_* headers and their codes, and examples that the real decoder and
 * publisher reproduce header for header.
 */

type Node = Record<string, unknown>;

const doc = parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'asyncapi.yaml'), 'utf8')) as Node;

function asNode(value: unknown): Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : {};
}

/** Follows a local `$ref` (one level is all the dead-letter parts use). */
function follow(value: unknown): Node {
  const ref = asNode(value)['$ref'];
  if (typeof ref !== 'string') return asNode(value);
  return ref
    .slice(2)
    .split('/')
    .reduce<Node>((node, key) => asNode(node[key.replace(/~1/g, '/').replace(/~0/g, '~')]), doc);
}

function at(node: unknown, ...path: string[]): Node {
  return path.reduce<Node>((current, key) => follow(current[key]), follow(node));
}

const DEAD_LETTER_ADDRESS = deadLetterTopicFor('{consumerGroup}');
/** As the exports service decodes: each partner's topic carries that partner's records only. */
const PARTNER_SOURCES = new Map<string, string>(MARKETPLACES.map((partner) => [partnerOrdersTopic(partner), partner]));
const channelEntry = Object.entries(asNode(doc['channels'])).find(([, c]) => asNode(c)['address'] === DEAD_LETTER_ADDRESS);
const channelId = channelEntry?.[0] ?? '(missing)';
const channel = asNode(channelEntry?.[1]);
const messages = Object.entries(asNode(channel['messages'])).map(([id, m]) => ({ where: `${channelId}/${id}`, node: follow(m) }));

/** Runs the real publisher against a stand-in client and returns the records it would send. */
async function publishThroughRealPublisher(consumerGroup: string, rejection: Parameters<DeadLetterPublisher['publish']>[0][number]): Promise<Message> {
  const sent: ProducerRecord[] = [];
  const kafka = {
    topic: (name: string) => name,
    producer: async () => ({ send: async (record: ProducerRecord) => void sent.push(record) }),
  } as unknown as KafkaClient;
  // Nothing is refused by the stand-in, so nothing is set aside: no database is needed.
  await new DeadLetterPublisher(kafka, consumerGroup, 'unused').publish([rejection], {} as EntityManager);
  return sent[0].messages[0];
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : String(v)]));
}

describe('AsyncAPI document: dead letters', () => {
  it(`has the dead-letter channel at deadLetterTopicFor('{consumerGroup}') = ${DEAD_LETTER_ADDRESS}`, () => {
    expect(channelEntry ? [] : [`no channel has address '${DEAD_LETTER_ADDRESS}'`]).toEqual([]);
    expect(Object.keys(asNode(channel['parameters']))).toEqual(['consumerGroup']);
  });

  it('gives the dead-letter channel the partitions and topic config of DEAD_LETTER_TOPIC_CONFIG', () => {
    const kafka = at(channel, 'bindings', 'kafka');
    const want: Record<string, unknown> = Object.fromEntries(
      Object.entries(DEAD_LETTER_TOPIC_CONFIG.config).map(([k, v]) => [k, k === 'cleanup.policy' ? v.split(',') : /^-?\d+$/.test(v) ? Number(v) : v]),
    );
    expect({ channel: channelId, partitions: kafka['partitions'], topicConfiguration: kafka['topicConfiguration'] }).toEqual({
      channel: channelId,
      partitions: DEAD_LETTER_TOPIC_CONFIG.partitions,
      topicConfiguration: want,
    });
  });

  it('carries exactly one message', () => {
    expect(messages.map((m) => m.where)).toHaveLength(1);
  });

  describe.each(messages)('$where', ({ where, node }) => {
    const headers = at(node, 'headers');
    const properties = at(headers, 'properties');

    it('documents every DLQ header of dead-letter-publisher.ts, and CloudEvents headers of cloudevents.ts besides', () => {
      const dlqNames = Object.values(DLQ) as string[];
      const ceNames = Object.values(CE) as string[];
      const problems = [
        ...dlqNames.filter((h) => !(h in properties)).map((h) => `${where}: lacks header ${h}`),
        ...Object.keys(properties)
          .filter((h) => !dlqNames.includes(h) && !ceNames.includes(h))
          .map((h) => `${where}: header '${h}' is neither a DLQ nor a CE constant`),
      ];
      expect(problems).toEqual([]);
    });

    it('lists the DeadLetterCode values as the enum of niryat_dlq_code', () => {
      expect({ where, enum: [...(((properties[DLQ.code] as Node | undefined)?.['enum'] as string[] | undefined) ?? [])].sort() }).toEqual({
        where,
        enum: Object.values(DeadLetterCode).sort(),
      });
    });

    it('requires exactly the DLQ headers the publisher always writes', async () => {
      const original = { key: null, value: Buffer.from('{}'), offset: '0', timestamp: '0', attributes: 0, headers: {} } as KafkaMessage;
      const sent = await publishThroughRealPublisher('g', { topic: 't', partition: 0, offset: '0', message: original, code: 'C', reason: 'r' });
      const always = Object.keys(sent.headers ?? {}).sort();
      expect({ where, required: [...((headers['required'] as string[] | undefined) ?? [])].sort() }).toEqual({ where, required: always });
    });

    it('has examples that the real decoder and publisher reproduce header for header', async () => {
      const examples = (node['examples'] as Node[] | undefined) ?? [];
      expect(examples.length).toBeGreaterThan(0);
      const dlqNames = new Set<string>(Object.values(DLQ));
      const problems: string[] = [];
      for (const example of examples) {
        const name = `${where} example ${String(example['name'])}`;
        const documented = headerText(example['headers'] as IHeaders);
        const originalHeaders = Object.fromEntries(Object.entries(documented).filter(([h]) => !dlqNames.has(h)));
        const value = Buffer.from(JSON.stringify(example['payload']));
        const record = { key: null, value, offset: documented[DLQ.offset], timestamp: '0', attributes: 0, headers: originalHeaders } as KafkaMessage;
        const decoded = new RecordDecoder(EVENT_CATALOG, PARTNER_SOURCES).decode(documented[DLQ.topic], Number(documented[DLQ.partition]), record);
        if (!('rejection' in decoded)) {
          problems.push(`${name}: RecordDecoder accepts this record, so it would not be dead-lettered with ${documented[DLQ.code]}`);
          continue;
        }
        const sent = await publishThroughRealPublisher(documented[DLQ.group], decoded.rejection);
        const produced = headerText(sent.headers);
        for (const header of new Set([...Object.keys(produced), ...Object.keys(documented)])) {
          if (header === DLQ.failedAt) continue;
          if (produced[header] !== documented[header]) {
            problems.push(`${name}: header ${header} is ${JSON.stringify(documented[header])}, the publisher writes ${JSON.stringify(produced[header])}`);
          }
        }
        if (Number.isNaN(Date.parse(documented[DLQ.failedAt] ?? ''))) problems.push(`${name}: ${DLQ.failedAt} is not a timestamp`);
        if (!sent.value || !value.equals(sent.value as Buffer)) problems.push(`${name}: the publisher changed the value`);
      }
      expect(problems).toEqual([]);
    });
  });
});
