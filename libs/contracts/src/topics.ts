/**
 * Every Kafka topic the platform owns, by stream. The names are a public contract with partners and
 * other teams: never rename one in place — add a `.v2` topic and migrate consumers instead.
 */
export const Topics = {
  onboardingSeller: 'niryat.onboarding.seller.v1',
  onboardingProgramme: 'niryat.onboarding.programme.v1',
  partnerOrders: 'niryat.partner.orders.v1',
  exports: 'niryat.exports.export.v1',
  training: 'niryat.training.v1',
  reportingExportTotals: 'niryat.reporting.export-totals.v2',
  reportingSellerFunnel: 'niryat.reporting.seller-funnel.v1',
  reportingProgrammeProgress: 'niryat.reporting.programme-progress.v2',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

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
  {
    name: Topics.partnerOrders,
    partitions: 12,
    config: { 'cleanup.policy': 'delete', 'retention.ms': KEEP_FOREVER },
    description: 'Order lifecycle events from partner marketplaces, keyed by <partner>:<orderId>; ce_source is the partner.',
  },
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
