import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The messaging library's inbox table as a TypeORM entity, for the benches' naive services (naive
 * exports, naive reporting): they keep their processed events there the naive way, a `save` per
 * event, each under a consumer group of its own.
 */
@Entity({ name: 'inbox' })
export class ProcessedEvent {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @PrimaryColumn({ name: 'event_source', type: 'text' })
  eventSource!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}
