import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { channelOfTopic, channelsOf, DocChannel } from './asyncapi-channels';
import { compareConstraints, expectedSchemaOf } from './asyncapi-class-schema';
import { ASYNCAPI_PATH, dereference, isObject, Json, JsonObject, loadAsyncApi, objectAt } from './asyncapi-document';
import { validateValue } from './asyncapi-json-schema';
import { CE, fromKafkaHeaders, JSON_CONTENT_TYPE, SPEC_VERSION, toKafkaHeaders } from './cloudevents';
import { EVENT_CATALOG } from './event-catalog';
import { EventDefinition, parsePayload } from './event-definition';
import { partnerOrderKey } from './events/partner-order.events';
import { PARTNER_ORDERS_TOPICS } from './kafka-access';
import { INDIAN_STATES } from './reference/indian-states';
import { MARKETPLACES } from './reference/marketplaces';
import { deadLetterTopicFor, LEGACY_PARTNER_ORDERS_TOPIC, PARTNER_ORDERS_CHANNEL, TopicSpec, TopicSpecs } from './topics';

/**
 * docs/asyncapi.yaml is what partners integrate from; these checks hold it to the code, naming the
 * topic, message and field of every difference. The dead-letter part lives in libs/messaging
 * (asyncapi-dead-letter.spec.ts), which owns those headers; who may write and read each channel is
 * asyncapi-security.spec.ts; what AsyncAPI tooling says of the document, asyncapi-parser.spec.ts.
 */

const raw = loadAsyncApi();
const { document: doc, problems: referenceProblems } = dereference(raw);
const DEAD_LETTER_ADDRESS = deadLetterTopicFor('{consumerGroup}');
const MIGRATION_NOTES = 'docs/migration-notes.md';

type Channel = DocChannel;

interface Message {
  /** `channelId/messageId`, for failure messages. */
  where: string;
  node: JsonObject;
  type: Json | undefined;
}

const channels: Channel[] = channelsOf(doc);

/** The channel of an address as the code names it: a topic, or a template such as PARTNER_ORDERS_CHANNEL. */
function channelOf(address: string): Channel | undefined {
  return channels.find((c) => c.address === address);
}

/**
 * The address whose event definitions a channel carries: its own, except the retired shared
 * partner topic, which carried the partner order events that now travel on PARTNER_ORDERS_CHANNEL.
 */
function definitionsAddressOf(channel: Channel): string {
  return channel.address === LEGACY_PARTNER_ORDERS_TOPIC ? PARTNER_ORDERS_CHANNEL : channel.address;
}

function messagesOf(channel: Channel): Message[] {
  return Object.entries(objectAt(channel.node, 'messages')).map(([id, node]) => ({
    where: `${channel.id}/${id}`,
    node: objectAt(node),
    type: objectAt(node, 'headers', 'properties', 'ce_type')['const'],
  }));
}

/** The one message that carries a definition's type on the channel of its topic. */
function messageFor(definition: EventDefinition): Message {
  const channel = channelOf(definition.topic);
  const found = channel ? messagesOf(channel).filter((m) => m.type === definition.type) : [];
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one message with headers.properties.ce_type.const '${definition.type}' on the channel with address ` +
        `'${definition.topic}', found ${channel ? found.length : 'no such channel'}`,
    );
  }
  return found[0];
}

/** Topic configs are strings in the code; the Kafka binding wants integers and a cleanup.policy list. */
function bindingConfigOf(spec: Pick<TopicSpec, 'config'>): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(spec.config).map(([key, value]) => {
      if (key === 'cleanup.policy') return [key, value.split(',').map((p) => p.trim())];
      return [key, /^-?\d+$/.test(value) ? Number(value) : value];
    }),
  );
}

/**
 * The key a producer gives the record. keyOf(payload) is all of it, except on the partner orders
 * topics: there the key is `<partner>:<orderId>` and the partner is the topic's and the record's
 * ce_source, not a payload field, so keyOf gives the order id and partnerOrderKey puts the two together.
 */
function recordKeyOf(definition: EventDefinition, payload: object, headers: JsonObject): string {
  const key = definition.keyOf(payload);
  return definition.topic === PARTNER_ORDERS_CHANNEL ? partnerOrderKey(String(headers[CE.source]), key) : key;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

const catalogCases = EVENT_CATALOG.map((definition) => [definition.type, definition] as const);

describe(`AsyncAPI document (${ASYNCAPI_PATH.replace(/.*\/docs\//, 'docs/')})`, () => {
  describe('document', () => {
    it('is AsyncAPI 3.x with a title and version', () => {
      expect(String(raw['asyncapi'])).toMatch(/^3\.\d+\.\d+$/);
      expect(objectAt(raw, 'info')).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    });

    it('resolves every $ref inside the document', () => {
      expect(referenceProblems).toEqual([]);
    });

    it('describes Kafka servers only (kafka, or kafka-secure for TLS)', () => {
      const servers = Object.entries(objectAt(doc, 'servers'));
      expect(servers.length).toBeGreaterThan(0);
      expect(
        servers
          .filter(([, s]) => !['kafka', 'kafka-secure'].includes(String(objectAt(s)['protocol'])))
          .map(([name, s]) => `server ${name}: protocol ${JSON.stringify(objectAt(s)['protocol'])}`),
      ).toEqual([]);
    });
  });

  describe('channels', () => {
    it.each(TopicSpecs.map((spec) => [spec.name, spec] as const))('topic %s has a channel with its partitions and topic config', (name, spec) => {
      const found = channelOfTopic(channels, name);
      if (!found) throw new Error(`no channel's address is or gives '${name}' (TopicSpecs declares it)`);
      const { channel } = found;
      const kafka = objectAt(channel.node, 'bindings', 'kafka');
      const problems: string[] = [];
      // One binding serves every topic of a template, so it cannot name one of them.
      if (kafka['topic'] !== undefined && kafka['topic'] !== channel.address) {
        problems.push(`channel ${channel.id}: bindings.kafka.topic '${String(kafka['topic'])}' differs from the address '${channel.address}'`);
      }
      if (kafka['partitions'] !== spec.partitions) {
        problems.push(`channel ${channel.id}: bindings.kafka.partitions is ${String(kafka['partitions'])}, TopicSpecs says ${spec.partitions}`);
      }
      const want = bindingConfigOf(spec);
      const have = objectAt(kafka, 'topicConfiguration');
      for (const key of new Set([...Object.keys(want), ...Object.keys(have)])) {
        if (JSON.stringify(want[key]) !== JSON.stringify(have[key])) {
          problems.push(
            `channel ${channel.id}: bindings.kafka.topicConfiguration['${key}'] is ${JSON.stringify(have[key])}, ` +
              `TopicSpecs config gives ${JSON.stringify(want[key])}`,
          );
        }
      }
      expect(problems).toEqual([]);
    });

    it('has no channel for a topic the code does not declare', () => {
      const known = new Set<string>([...TopicSpecs.map((s) => s.name), LEGACY_PARTNER_ORDERS_TOPIC]);
      const problems = channels.flatMap((c) => {
        if (c.address === DEAD_LETTER_ADDRESS) return [];
        if (!c.topics) return [`channel ${c.id}: address '${c.address}' has a parameter without an enum of values`];
        return c.topics.filter((t) => !known.has(t.topic)).map((t) => `channel ${c.id}: topic '${t.topic}' is not in TopicSpecs`);
      });
      expect(problems).toEqual([]);
    });

    it(`has the partner orders channel at PARTNER_ORDERS_CHANNEL = ${PARTNER_ORDERS_CHANNEL}, its {partner} the MARKETPLACES, one topic each`, () => {
      const channel = channelOf(PARTNER_ORDERS_CHANNEL);
      expect({
        partners: objectAt(channel?.node, 'parameters', 'partner')['enum'],
        topics: channel?.topics?.map((t) => t.topic),
      }).toEqual({ partners: [...MARKETPLACES], topics: [...PARTNER_ORDERS_TOPICS] });
    });

    it(`marks the retired ${LEGACY_PARTNER_ORDERS_TOPIC} deprecated, pointing to ${MIGRATION_NOTES}, with the partner channel's messages`, () => {
      const legacy = channelOf(LEGACY_PARTNER_ORDERS_TOPIC);
      if (!legacy) throw new Error(`no channel has address '${LEGACY_PARTNER_ORDERS_TOPIC}'`);
      const deprecated = objectAt(legacy.node, 'x-deprecated');
      const problems: string[] = [];
      if (deprecated['migration'] !== MIGRATION_NOTES) problems.push(`channel ${legacy.id}: x-deprecated.migration is ${JSON.stringify(deprecated['migration'])}`);
      if (!existsSync(join(ASYNCAPI_PATH, '..', '..', MIGRATION_NOTES))) problems.push(`${MIGRATION_NOTES} does not exist`);
      if (!String(legacy.node['description'] ?? '').startsWith('**Deprecated')) problems.push(`channel ${legacy.id}: description does not start with **Deprecated`);
      const refs = (channel: Channel | undefined) => Object.values(objectAt(raw, 'channels', channel?.id ?? '', 'messages')).map((m) => objectAt(m)['$ref']);
      if (JSON.stringify(refs(legacy)) !== JSON.stringify(refs(channelOf(PARTNER_ORDERS_CHANNEL)))) {
        problems.push(`channel ${legacy.id}: its messages differ from those of ${PARTNER_ORDERS_CHANNEL}`);
      }
      const marked = channels.filter((c) => c.node['x-deprecated'] !== undefined).map((c) => c.address);
      expect({ problems, marked }).toEqual({ problems: [], marked: [LEGACY_PARTNER_ORDERS_TOPIC] });
    });

    it(`has the dead-letter channel at deadLetterTopicFor('{consumerGroup}') = ${DEAD_LETTER_ADDRESS}`, () => {
      expect(channels.map((c) => c.address)).toContain(DEAD_LETTER_ADDRESS);
    });

    it('declares a parameter for every {placeholder} in an address, and no other', () => {
      const problems = channels.flatMap((c) => {
        const placeholders = sorted([...c.address.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
        const parameters = sorted(Object.keys(objectAt(c.node, 'parameters')));
        return JSON.stringify(placeholders) === JSON.stringify(parameters)
          ? []
          : [`channel ${c.id}: address placeholders ${JSON.stringify(placeholders)} vs parameters ${JSON.stringify(parameters)}`];
      });
      expect(problems).toEqual([]);
    });
  });

  describe('messages', () => {
    it.each(catalogCases)('%s has a message on the channel of its topic', (_type, definition) => {
      expect(() => messageFor(definition)).not.toThrow();
    });

    it('has no message of a type missing from EVENT_CATALOG, or on another topic than its definition', () => {
      const problems = channels
        .filter((c) => c.address !== DEAD_LETTER_ADDRESS)
        .flatMap((channel) =>
          messagesOf(channel).flatMap((message) => {
            const definition = EVENT_CATALOG.find((d) => d.type === message.type);
            if (!definition) return [`${message.where}: ce_type const ${JSON.stringify(message.type)} is not an EVENT_CATALOG type`];
            if (definition.topic !== definitionsAddressOf(channel)) {
              return [`${message.where}: ${definition.type} belongs on '${definition.topic}', not '${channel.address}'`];
            }
            return [];
          }),
        );
      expect(problems).toEqual([]);
    });

    it('puts every component message on a channel', () => {
      const used = new Set(
        Object.values(objectAt(raw, 'channels')).flatMap((channel) =>
          Object.values(objectAt(channel, 'messages')).map((m) => (isObject(m) ? String(m['$ref']) : '')),
        ),
      );
      const orphans = Object.keys(objectAt(raw, 'components', 'messages')).filter((name) => !used.has(`#/components/messages/${name}`));
      expect(orphans.map((name) => `components.messages.${name} is on no channel`)).toEqual([]);
    });
  });

  describe('headers', () => {
    const ceHeaderNames = sorted(Object.values(CE));
    // What toKafkaHeaders always writes, whatever optional attributes are missing.
    const alwaysPresent = Object.keys(toKafkaHeaders({ id: 'x', type: 'x', source: 'x', time: 'x' }));

    it.each(catalogCases)('%s documents exactly the CloudEvents headers of cloudevents.ts', (_type, definition) => {
      const { where, node } = messageFor(definition);
      const headers = objectAt(node, 'headers');
      const properties = objectAt(headers, 'properties');
      const problems: string[] = [];
      const documented = sorted(Object.keys(properties));
      if (JSON.stringify(documented) !== JSON.stringify(ceHeaderNames)) {
        problems.push(`${where}: header properties ${JSON.stringify(documented)}, CE in cloudevents.ts has ${JSON.stringify(ceHeaderNames)}`);
      }
      const wantRequired = sorted([...alwaysPresent, ...(definition.subjectOf ? [CE.subject] : [])]);
      const required = sorted((headers['required'] as string[] | undefined) ?? []);
      if (JSON.stringify(required) !== JSON.stringify(wantRequired)) {
        problems.push(`${where}: headers.required ${JSON.stringify(required)}, producers always set ${JSON.stringify(wantRequired)}`);
      }
      const consts: [string, string][] = [
        [CE.type, definition.type],
        [CE.specversion, SPEC_VERSION],
        [CE.contentType, JSON_CONTENT_TYPE],
      ];
      for (const [header, value] of consts) {
        const actual = objectAt(properties, header)['const'];
        if (actual !== value) problems.push(`${where}: header ${header} const is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
      }
      for (const [header, format] of [
        [CE.time, 'date-time'],
        [CE.source, 'uri-reference'],
      ]) {
        const actual = objectAt(properties, header)['format'];
        if (actual !== format) problems.push(`${where}: header ${header} format is ${JSON.stringify(actual)}, expected '${format}'`);
      }
      if (headers['additionalProperties'] === false) problems.push(`${where}: headers must allow other Kafka headers (additionalProperties: false)`);
      expect(problems).toEqual([]);
    });

    it('uses CloudEvents header names only from cloudevents.ts on event messages', () => {
      const known = new Set<string>(Object.values(CE));
      const problems = channels
        .filter((c) => c.address !== DEAD_LETTER_ADDRESS)
        .flatMap((c) => messagesOf(c))
        .flatMap(({ where, node }) =>
          Object.keys(objectAt(node, 'headers', 'properties'))
            .filter((name) => !known.has(name))
            .map((name) => `${where}: header '${name}' is not a CE constant`),
        );
      expect(problems).toEqual([]);
    });
  });

  describe('payload schemas', () => {
    it.each(catalogCases)('%s payload matches the class-validator rules of its class', (_type, definition) => {
      const { where, node } = messageFor(definition);
      const payload = objectAt(node, 'payload');
      const expected = expectedSchemaOf(definition.payload);
      const className = definition.payload.name;
      const problems: string[] = [...expected.unmapped];
      if (payload['type'] !== 'object') problems.push(`${where}: payload type is ${JSON.stringify(payload['type'])}, expected 'object'`);
      if (payload['additionalProperties'] !== false) {
        problems.push(`${where}: payload must say additionalProperties: false (parsePayload forbids unknown fields)`);
      }
      const documented = objectAt(payload, 'properties');
      const missing = Object.keys(expected.properties).filter((p) => !(p in documented));
      const extra = Object.keys(documented).filter((p) => !(p in expected.properties));
      for (const p of missing) problems.push(`${where}: payload lacks property '${p}' of ${className}`);
      for (const p of extra) problems.push(`${where}: payload has property '${p}' that ${className} does not validate`);
      const required = sorted((payload['required'] as string[] | undefined) ?? []);
      if (JSON.stringify(required) !== JSON.stringify(sorted(expected.required))) {
        problems.push(`${where}: payload.required ${JSON.stringify(required)}, ${className} requires ${JSON.stringify(sorted(expected.required))}`);
      }
      for (const [property, constraints] of Object.entries(expected.properties)) {
        if (property in documented) problems.push(...compareConstraints(`${where} payload.${property}`, constraints, documented[property]));
      }
      expect(problems).toEqual([]);
    });

    it('names every GST state code of INDIAN_STATES where a payload property (or its elements) is @IsIn(GST_STATE_CODES)', () => {
      const codes = sorted(Object.keys(INDIAN_STATES));
      // An optional property's enum also holds null; the state codes are the rest.
      const isStateEnum = (rules: Json | undefined) =>
        isObject(rules) &&
        Array.isArray(rules['enum']) &&
        JSON.stringify(sorted(rules['enum'].filter((v): v is string => typeof v === 'string'))) === JSON.stringify(codes);
      const problems = EVENT_CATALOG.flatMap((definition) => {
        const { where, node } = messageFor(definition);
        const documented = objectAt(node, 'payload', 'properties');
        return Object.entries(expectedSchemaOf(definition.payload).properties).flatMap(([property, rules]) => {
          const schemas: [string, JsonObject][] = [];
          if (isStateEnum(rules)) schemas.push([property, objectAt(documented, property)]);
          if (isStateEnum(rules['items'])) schemas.push([`${property}[]`, objectAt(documented, property, 'items')]);
          return schemas.flatMap(([at, schema]) => {
            const description = String(schema['description'] ?? '');
            return codes
              .filter((code) => !description.includes(`| \`${code}\` | ${INDIAN_STATES[code]} |`))
              .map((code) => `${where} payload.${at}: description lacks the row | \`${code}\` | ${INDIAN_STATES[code]} |`);
          });
        });
      });
      expect(problems).toEqual([]);
    });
  });

  describe('examples', () => {
    it.each(catalogCases)('%s examples are real: parsePayload, fromKafkaHeaders, the record key and subjectOf agree with them', (_type, definition) => {
      const { where, node } = messageFor(definition);
      const examples = Array.isArray(node['examples']) ? node['examples'] : [];
      const problems: string[] = examples.length === 0 ? [`${where}: has no examples`] : [];
      examples.forEach((example, i) => {
        const at = `${where} example ${isObject(example) && example['name'] ? String(example['name']) : i}`;
        if (!isObject(example)) return void problems.push(`${at}: not an object`);
        const payload = example['payload'];
        const headers = objectAt(example, 'headers');

        const parsed = parsePayload(definition.payload, payload);
        if (!parsed.ok) problems.push(...parsed.errors.map((e) => `${at}: parsePayload rejects payload.${e.field} (${e.code}): ${e.message}`));
        if (headers[CE.type] !== definition.type) problems.push(`${at}: headers.${CE.type} is ${JSON.stringify(headers[CE.type])}, expected '${definition.type}'`);
        const decoded = fromKafkaHeaders(headers as Record<string, string>);
        if (!decoded.ok) problems.push(`${at}: fromKafkaHeaders refuses the headers: ${decoded.reason}`);
        if (parsed.ok) {
          const subject = definition.subjectOf?.(parsed.payload);
          if (subject !== undefined && headers[CE.subject] !== subject) {
            problems.push(`${at}: headers.${CE.subject} is ${JSON.stringify(headers[CE.subject])}, subjectOf(payload) gives '${subject}'`);
          }
          const key = recordKeyOf(definition, parsed.payload, headers);
          problems.push(...validateValue(objectAt(node, 'bindings', 'kafka', 'key'), key, `${at} record key '${key}'`));
        }
      });
      expect(problems).toEqual([]);
    });

    it('of every message, dead letters included, validate against that message\'s own header and payload schemas', () => {
      const problems = Object.entries(objectAt(doc, 'components', 'messages')).flatMap(([name, message]) => {
        const node = objectAt(message);
        const examples = Array.isArray(node['examples']) ? node['examples'] : [];
        return examples.flatMap((example, i) => {
          const at = `components.messages.${name} example ${String(objectAt(example)['name'] ?? i)}`;
          return [
            ...(node['headers'] === undefined ? [] : validateValue(node['headers'], objectAt(example)['headers'] ?? {}, `${at} headers`)),
            ...(node['payload'] === undefined ? [] : validateValue(node['payload'], objectAt(example)['payload'] ?? null, `${at} payload`)),
          ];
        });
      });
      expect(problems).toEqual([]);
    });

    it.each(catalogCases)('%s has a Kafka key schema in its message binding', (_type, definition) => {
      const { where, node } = messageFor(definition);
      expect({ where, key: objectAt(node, 'bindings', 'kafka', 'key') }).toEqual({ where, key: expect.objectContaining({ type: 'string' }) });
    });
  });

  describe('operations', () => {
    const operations = Object.entries(objectAt(raw, 'operations'));

    it('reference their channel and only messages of that channel', () => {
      const problems = operations.flatMap(([id, operation]) => {
        const op = objectAt(operation);
        const channelRef = String(objectAt(op, 'channel')['$ref'] ?? '');
        const out: string[] = [];
        if (op['action'] !== 'send' && op['action'] !== 'receive') out.push(`operation ${id}: action ${JSON.stringify(op['action'])}`);
        if (!/^#\/channels\/[^/]+$/.test(channelRef)) out.push(`operation ${id}: channel must be a $ref to '#/channels/<id>', got '${channelRef}'`);
        const messages = Array.isArray(op['messages']) ? op['messages'] : [];
        if (messages.length === 0) out.push(`operation ${id}: lists no messages`);
        for (const m of messages) {
          const ref = isObject(m) ? String(m['$ref']) : '';
          if (!ref.startsWith(`${channelRef}/messages/`)) out.push(`operation ${id}: message '${ref}' is not a message of ${channelRef}`);
        }
        return out;
      });
      expect(problems).toEqual([]);
    });

    it.each(catalogCases)('%s is sent by some operation', (_type, definition) => {
      const { where } = messageFor(definition);
      const [channelId, messageId] = where.split('/');
      const senders = operations.filter(([, operation]) => {
        const op = objectAt(operation);
        const refs = (Array.isArray(op['messages']) ? op['messages'] : []).map((m) => (isObject(m) ? m['$ref'] : undefined));
        return op['action'] === 'send' && refs.includes(`#/channels/${channelId}/messages/${messageId}`);
      });
      expect(senders.length > 0 ? [] : [`${where}: no operation with action 'send' lists it`]).toEqual([]);
    });

    it('use every channel', () => {
      const used = new Set(operations.map(([, operation]) => String(objectAt(operation, 'channel')['$ref'])));
      expect(channels.filter((c) => !used.has(`#/channels/${c.id}`)).map((c) => `channel ${c.id} has no operation`)).toEqual([]);
    });
  });
});
