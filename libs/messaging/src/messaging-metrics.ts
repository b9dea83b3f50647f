/**
 * What the messaging machinery reports as it works, for the service's metrics. The platform
 * implements it on the app's own Prometheus registry; this library knows no metrics library, and
 * without one (a tool, a test) nothing is reported.
 */
export interface MessagingMetrics {
  /**
   * A consumer transaction committed: how many events it held, how many per topic were applied
   * (new) and skipped (already applied: a redelivery, a relay retry), and how long it took.
   */
  consumerTransaction(group: string, transaction: { events: number; applied: ReadonlyMap<string, number>; skipped: ReadonlyMap<string, number>; seconds: number }): void;
  /** Records of a consumer group sent to its dead-letter topic (or set aside), by reason code. */
  deadLettered(group: string, code: string, count: number): void;
  /** Outbox rows published: their topic (as on the broker, namespace included) and how long after they were written. */
  outboxPublished(rows: readonly { topic: string; waitedSeconds: number }[]): void;
  /** A relay pass that failed (Kafka or the database away); its rows stay pending. */
  outboxPassFailed(): void;
}
