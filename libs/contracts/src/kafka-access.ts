import { MARKETPLACES, Marketplace } from './reference/marketplaces';
import { partnerOrdersTopic, TopicSpec, TopicSpecs, Topics } from './topics';

/**
 * Who may do what on Kafka: one declaration that the local broker's ACLs (tools/infra), the k8s
 * `KafkaUser`s and the tests are all made from. A principal is a SCRAM user; a service may write
 * only the topics it owns (and its own dead letters), read what it consumes and use consumer groups
 * under its own prefix; a partner may write only its own orders topic.
 *
 * Names here are base names: a topic namespace (`KAFKA_TOPIC_NAMESPACE`) is put in front of every
 * topic and group, as the services do (`<namespace>.<name>`).
 */

export type ServiceName = 'onboarding' | 'exports' | 'training' | 'reporting';
export const SERVICES: readonly ServiceName[] = ['onboarding', 'exports', 'training', 'reporting'];

/** A Kafka resource name: one exact name, or every name that starts with it. */
export interface ResourceName {
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
}

export interface KafkaPrincipalAccess {
  /** The SCRAM user name; the broker sees it as `User:<principal>`. */
  readonly principal: string;
  readonly kind: 'service' | 'partner';
  /** Topics it may write (and create, for a service: it creates its own topics when missing). */
  readonly writes: readonly ResourceName[];
  /** Topics it may read. */
  readonly reads: readonly ResourceName[];
  /** Consumer groups it may join and commit in. */
  readonly groups: readonly ResourceName[];
}

const literal = (name: string): ResourceName => ({ name, pattern: 'literal' });
const prefixed = (name: string): ResourceName => ({ name, pattern: 'prefixed' });

/** Every partner's orders topic, in the order of `MARKETPLACES`. */
export const PARTNER_ORDERS_TOPICS: readonly string[] = MARKETPLACES.map((partner) => partnerOrdersTopic(partner));

/** The principal of a service: `niryat-<service>`. */
export const servicePrincipal = (service: ServiceName): string => `niryat-${service}`;
/** The principal of a partner marketplace: `partner-<marketplace>`. */
export const partnerPrincipal = (partner: Marketplace): string => `partner-${partner}`;

/** Dead-letter topics of a service's groups: `niryat.deadletter.<service>.` (see `deadLetterTopicFor`). */
const ownDeadLetters = (service: ServiceName) => prefixed(`niryat.deadletter.${service}.`);
/** A service's consumer groups start with `<service>.` (rebuilds add a suffix to the same prefix). */
const ownGroups = (service: ServiceName) => prefixed(`${service}.`);

function service(name: ServiceName, owns: readonly string[], consumes: readonly string[]): KafkaPrincipalAccess {
  return {
    principal: servicePrincipal(name),
    kind: 'service',
    writes: [...owns.map(literal), ownDeadLetters(name)],
    // It reads its own dead letters too: the redrive tooling lists them with the service's principal.
    reads: [...consumes.map(literal), ownDeadLetters(name)],
    groups: [ownGroups(name)],
  };
}

/**
 * The declaration. Exports writes every partner's orders topic because its signed HTTP ingest
 * publishes there on behalf of the partner it authenticated (the signature, not the broker, speaks
 * for the partner on that path).
 */
export const KAFKA_ACCESS: readonly KafkaPrincipalAccess[] = [
  service('onboarding', [Topics.onboardingSeller, Topics.onboardingProgramme], []),
  service('exports', [Topics.exports, ...PARTNER_ORDERS_TOPICS], [...PARTNER_ORDERS_TOPICS, Topics.onboardingSeller]),
  service('training', [Topics.training], [Topics.onboardingSeller, Topics.onboardingProgramme, Topics.training]),
  service(
    'reporting',
    [Topics.reportingExportTotals, Topics.reportingSellerFunnel, Topics.reportingProgrammeProgress],
    [Topics.onboardingSeller, Topics.onboardingProgramme, Topics.exports, Topics.training],
  ),
  ...MARKETPLACES.map(
    (partner): KafkaPrincipalAccess => ({
      principal: partnerPrincipal(partner),
      kind: 'partner',
      writes: [literal(partnerOrdersTopic(partner))],
      reads: [],
      groups: [],
    }),
  ),
];

/** The access of one principal; throws on a name the declaration does not hold. */
export function accessOf(principal: string): KafkaPrincipalAccess {
  const found = KAFKA_ACCESS.find((access) => access.principal === principal);
  if (!found) throw new Error(`no Kafka principal '${principal}' is declared (libs/contracts/src/kafka-access.ts)`);
  return found;
}

/**
 * The topics a service writes or reads, with their specs: what it makes sure of at boot. Another
 * service's topic it may not create (on a secured cluster), only wait for.
 */
export function topicSpecsOf(service: ServiceName): TopicSpec[] {
  const access = accessOf(servicePrincipal(service));
  const names = new Set([...access.writes, ...access.reads].filter((r) => r.pattern === 'literal').map((r) => r.name));
  return TopicSpecs.filter((spec) => names.has(spec.name));
}

/** The service's own topics among `specs`: the ones it may create. */
export function ownedBy(service: ServiceName, specs: readonly TopicSpec[]): TopicSpec[] {
  const writes = new Set(accessOf(servicePrincipal(service)).writes.map((r) => r.name));
  return specs.filter((spec) => writes.has(spec.name));
}

/** A resource name under a topic namespace, as the services name topics and groups. */
export function namespaced(resource: ResourceName, namespace?: string): ResourceName {
  return namespace ? { name: `${namespace}.${resource.name}`, pattern: resource.pattern } : resource;
}
