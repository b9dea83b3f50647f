import { channelOfTopic, channelsOf, DocChannel } from './asyncapi-channels';
import { dereference, isObject, Json, JsonObject, loadAsyncApi, objectAt } from './asyncapi-document';
import { KAFKA_ACCESS, KafkaPrincipalAccess, partnerPrincipal, ResourceName } from './kafka-access';
import { MARKETPLACES } from './reference/marketplaces';
import { deadLetterTopicFor, LEGACY_PARTNER_ORDERS_TOPIC, TopicSpecs } from './topics';

/**
 * The document's servers, principals and operation `security` against KAFKA_ACCESS, the one
 * declaration the broker's ACLs are made from: the contract must say who may write and read each
 * topic exactly as the broker will enforce it.
 *
 * How the document says it: each security scheme is one principal (`x-niryat-principal`); an
 * operation's `security` lists the principals that may perform it; a partner's scheme also names
 * its partner (`x-niryat-partner`), and on a channel with a `{partner}` parameter it counts only
 * for the topic of that partner.
 */

const raw = loadAsyncApi();
const { document: doc } = dereference(raw);
const channels = channelsOf(doc);
const DEAD_LETTER_ADDRESS = deadLetterTopicFor('{consumerGroup}');
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

interface Operation {
  id: string;
  action: string;
  channel: DocChannel;
  node: JsonObject;
  /** Resolved security schemes, as written in the operation. */
  schemes: JsonObject[];
}

const channelByRef = new Map(channels.map((c) => [`#/channels/${c.id}`, c]));
const operations: Operation[] = Object.entries(objectAt(raw, 'operations')).flatMap(([id, rawOperation]) => {
  const channel = channelByRef.get(String(objectAt(rawOperation, 'channel')['$ref']));
  if (!channel) return []; // asyncapi.spec.ts names an operation without a channel of the document
  const node = objectAt(doc, 'operations', id);
  const security: Json | undefined = node['security'];
  return [{ id, action: String(node['action']), channel, node, schemes: Array.isArray(security) ? security.filter(isObject) : [] }];
});

const principalOf = (scheme: JsonObject) => String(scheme['x-niryat-principal'] ?? '');

/** The principals an operation names for one topic of its channel. */
function principalsFor(operation: Operation, parameters: Readonly<Record<string, string>>): string[] {
  return operation.schemes
    .filter((scheme) => scheme['x-niryat-partner'] === undefined || parameters['partner'] === undefined || scheme['x-niryat-partner'] === parameters['partner'])
    .map(principalOf);
}

function matches(resource: ResourceName, name: string): boolean {
  return resource.pattern === 'literal' ? resource.name === name : name.startsWith(resource.name);
}

const principalsWhere = (allowed: (access: KafkaPrincipalAccess) => boolean) => sorted(KAFKA_ACCESS.filter(allowed).map((a) => a.principal));

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** What the document says of one topic: who may send to it and who may receive from it. */
function documented(topic: string, action: 'send' | 'receive'): string[] {
  const found = channelOfTopic(channels, topic);
  if (!found) return [`(no channel for ${topic})`];
  return sorted(operations.filter((op) => op.channel === found.channel && op.action === action).flatMap((op) => principalsFor(op, found.at.parameters)));
}

const groupsOf = (operation: Operation): string[] => {
  const groups: Json | undefined = objectAt(operation.node, 'bindings', 'kafka', 'groupId')['enum'];
  return Array.isArray(groups) ? groups.map(String) : [];
};

const TOPICS = [...TopicSpecs.map((spec) => spec.name), LEGACY_PARTNER_ORDERS_TOPIC];

describe('AsyncAPI document: servers and security against KAFKA_ACCESS', () => {
  describe('servers', () => {
    const servers = Object.entries(objectAt(doc, 'servers')).map(([id, node]) => ({ id, node: objectAt(node) }));
    const securityOf = (node: JsonObject) => (Array.isArray(node['security']) ? node['security'].filter(isObject) : []);

    it('has a SASL_SSL server (kafka-secure) that takes SCRAM-SHA-512 from every principal of KAFKA_ACCESS', () => {
      const secure = servers.filter((s) => s.node['protocol'] === 'kafka-secure');
      expect(secure.map((s) => s.id)).not.toEqual([]);
      const problems = secure.flatMap(({ id, node }) => {
        const schemes = securityOf(node);
        const out = schemes.filter((s) => s['type'] !== 'scramSha512').map((s) => `server ${id}: scheme of ${principalOf(s)} is ${String(s['type'])}`);
        const principals = sorted(schemes.map(principalOf));
        const all = sorted(KAFKA_ACCESS.map((a) => a.principal));
        if (JSON.stringify(principals) !== JSON.stringify(all)) out.push(`server ${id}: principals ${JSON.stringify(principals)}, KAFKA_ACCESS has ${JSON.stringify(all)}`);
        return out;
      });
      expect(problems).toEqual([]);
    });

    it('has plaintext (kafka) servers only on the loopback interface, without security, described as local development', () => {
      const problems = servers
        .filter((s) => s.node['protocol'] === 'kafka')
        .flatMap(({ id, node }) => [
          ...(LOOPBACK_HOST.test(String(node['host'])) ? [] : [`server ${id}: plaintext on ${String(node['host'])}, not loopback`]),
          ...(securityOf(node).length === 0 ? [] : [`server ${id}: plaintext with security schemes`]),
          ...(/local development/i.test(String(node['description'] ?? '')) ? [] : [`server ${id}: description does not say it is for local development`]),
        ]);
      expect(problems).toEqual([]);
    });
  });

  describe('security schemes', () => {
    const schemes = Object.entries(objectAt(doc, 'components', 'securitySchemes')).map(([id, node]) => ({ id, node: objectAt(node) }));

    it('are one SCRAM-SHA-512 scheme per principal of KAFKA_ACCESS, named in x-niryat-principal', () => {
      expect(sorted(schemes.map((s) => `${principalOf(s.node)} ${String(s.node['type'])}`))).toEqual(
        sorted(KAFKA_ACCESS.map((a) => `${a.principal} scramSha512`)),
      );
      expect(schemes.length).toBe(KAFKA_ACCESS.length);
    });

    it("name a partner's partner in x-niryat-partner, and no partner for a service", () => {
      const partnerOf = new Map<string, string>(MARKETPLACES.map((p) => [partnerPrincipal(p), p]));
      const problems = schemes.flatMap(({ id, node }) => {
        const access = KAFKA_ACCESS.find((a) => a.principal === principalOf(node));
        const want = access?.kind === 'partner' ? partnerOf.get(access.principal) : undefined;
        return node['x-niryat-partner'] === want ? [] : [`securitySchemes.${id}: x-niryat-partner is ${JSON.stringify(node['x-niryat-partner'])}, expected ${JSON.stringify(want)}`];
      });
      expect(problems).toEqual([]);
    });
  });

  describe('operations', () => {
    it('each name who may perform them, except on a deprecated channel, where KAFKA_ACCESS grants nobody anything', () => {
      const problems = operations.flatMap((op) => {
        if (op.schemes.some((s) => !principalOf(s))) return [`operation ${op.id}: a security entry without x-niryat-principal`];
        if (op.schemes.length > 0 || op.channel.node['x-deprecated'] !== undefined) return [];
        return [`operation ${op.id}: no security`];
      });
      expect(problems).toEqual([]);
    });

    it.each(TOPICS)('%s: the send operations name exactly the principals KAFKA_ACCESS lets write it', (topic) => {
      expect(documented(topic, 'send')).toEqual(principalsWhere((a) => a.writes.some((r) => matches(r, topic))));
    });

    it.each(TOPICS)('%s: the receive operations name exactly the principals KAFKA_ACCESS lets read it', (topic) => {
      expect(documented(topic, 'receive')).toEqual(principalsWhere((a) => a.reads.some((r) => matches(r, topic))));
    });

    it("receive in consumer groups of their principals' own prefixes", () => {
      const problems = operations
        .filter((op) => op.action === 'receive')
        .flatMap((op) =>
          op.schemes.map(principalOf).flatMap((principal) => {
            const access = KAFKA_ACCESS.find((a) => a.principal === principal);
            const groups = groupsOf(op);
            if (groups.length === 0) return [`operation ${op.id}: no bindings.kafka.groupId enum`];
            return groups.filter((g) => !access?.groups.some((r) => matches(r, g))).map((g) => `operation ${op.id}: ${principal} may not use group '${g}'`);
          }),
        );
      expect(problems).toEqual([]);
    });

    it(`dead-letter to ${DEAD_LETTER_ADDRESS} as each consuming principal, whose own groups' dead letters KAFKA_ACCESS lets it write and read`, () => {
      const consumers = new Map<string, Set<string>>();
      for (const op of operations.filter((o) => o.action === 'receive')) {
        for (const principal of op.schemes.map(principalOf)) consumers.set(principal, new Set([...(consumers.get(principal) ?? []), ...groupsOf(op)]));
      }
      const senders = sorted(operations.filter((op) => op.action === 'send' && op.channel.address === DEAD_LETTER_ADDRESS).flatMap((op) => op.schemes.map(principalOf)));
      const problems = [...consumers].flatMap(([principal, groups]) => {
        const access = KAFKA_ACCESS.find((a) => a.principal === principal);
        return [...groups].flatMap((group) => {
          const topic = deadLetterTopicFor(group);
          return [
            ...(access?.writes.some((r) => matches(r, topic)) ? [] : [`${principal} may not write ${topic}`]),
            ...(access?.reads.some((r) => matches(r, topic)) ? [] : [`${principal} may not read ${topic}`]),
          ];
        });
      });
      expect({ senders, problems }).toEqual({ senders: sorted(consumers.keys()), problems: [] });
    });
  });
});
