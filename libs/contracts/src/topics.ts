import { MARKETPLACES, Marketplace } from './reference/marketplaces';

/**
 * Every Kafka topic the platform owns, by stream (partner orders: one topic per partner, see
 * `partnerOrdersTopic`). The names are a public contract with partners and
 * other teams: never rename one in place — add a `.v2` topic and migrate consumers instead.
 */
export const Topics = {
  onboardingSeller: 'niryat.onboarding.seller.v1',
  onboardingProgramme: 'niryat.onboarding.programme.v1',
  exports: 'niryat.exports.export.v1',
  training: 'niryat.training.v1',
  reportingExportTotals: 'niryat.reporting.export-totals.v2',
  reportingSellerFunnel: 'niryat.reporting.seller-funnel.v1',
  reportingProgrammeProgress: 'niryat.reporting.programme-progress.v2',
} as const;

/** A partner's own orders topic: only the partner's principal (and exports' signed ingest) writes it. */
export type PartnerOrdersTopic = `niryat.partner.${Marketplace}.orders.v1`;

export type TopicName = (typeof Topics)[keyof typeof Topics] | PartnerOrdersTopic;

/** The orders topic of one partner marketplace: `niryat.partner.<partner>.orders.v1`. */
export function partnerOrdersTopic(partner: Marketplace): PartnerOrdersTopic {
  return `niryat.partner.${partner}.orders.v1`;
}

const PARTNER_OF_TOPIC = new Map<string, Marketplace>(MARKETPLACES.map((partner) => [partnerOrdersTopic(partner), partner]));

/**
 * The partner whose orders topic this is (a base name, without the topic namespace), or undefined
 * for any other topic: the topic, which the broker lets only that partner write, says who spoke.
 */
export function partnerOfTopic(baseTopic: string): Marketplace | undefined {
  return PARTNER_OF_TOPIC.get(baseTopic);
}

/**
 * The partner orders topics as one AsyncAPI channel address: the partner is the `{partner}`
 * parameter. Partner event definitions name it as their topic; a producer sends to
 * `partnerOrdersTopic(partner)`.
 */
export const PARTNER_ORDERS_CHANNEL = 'niryat.partner.{partner}.orders.v1';

/**
 * The one shared partner orders topic before issue 16, where the partner was whatever `ce_source`
 * said. Retired: exports reads it only while `EXPORTS_LEGACY_PARTNER_TOPIC` is on
 * (docs/migration-notes.md); nothing writes it.
 */
export const LEGACY_PARTNER_ORDERS_TOPIC = 'niryat.partner.orders.v1';

export interface TopicSpec {
  readonly name: TopicName;
  readonly partitions: number;
  /** Kafka topic-level configs (retention, compaction) applied when the topic is created. */
  readonly config: Readonly<Record<string, string>>;
  readonly description: string;
}

const KEEP_FOREVER = '-1';

/** Domain topics keep their whole history so the read side can be rebuilt from offset zero. */
export const TopicSpecs: readonly TopicSpec[] = [
  {
    name: Topics.onboardingSeller,
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: 'Seller lifecycle, enrolment and marketplace-link events from onboarding, keyed by seller id.',
  },
  {
    name: Topics.onboardingProgramme,
    partitions: 1,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: 'Programme catalogue changes from onboarding, keyed by programme id; each event is a full snapshot.',
  },
  ...MARKETPLACES.map((partner) => ({
    name: partnerOrdersTopic(partner),
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: `Order lifecycle events from ${partner}, keyed by <partner>:<orderId>; written only by ${partner}'s principal and exports' signed ingest, and ce_source must be '${partner}'.`,
  })),
  {
    name: Topics.exports,
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: 'Recognised export values and their corrections from the exports service, keyed by seller id.',
  },
  {
    name: Topics.training,
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: 'Cohorts (keyed by cohort id) and learners\' enrolment, progress and certification (keyed by seller id) from training.',
  },
  ...[Topics.reportingExportTotals, Topics.reportingSellerFunnel, Topics.reportingProgrammeProgress].map((name) => ({
    name,
    partitions: 3,
    // Compacted: the latest record per view key is the row's current value, kept for ever.
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
    description: 'A reporting view for other teams: the latest record per key is the row\'s absolute value.',
  })),
];

/** Dead letters of one consumer group: the original record plus the reason in headers. */
export function deadLetterTopicFor(consumerGroup: string): string {
  return `niryat.deadletter.${consumerGroup}.v1`;
}
