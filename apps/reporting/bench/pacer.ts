import { Producer } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { ExpectedTotals, EXPORT_PARTITIONS, ExportStream, KafkaRecord } from './workload';

/** A probe export: which probe seller, the how-manyth of its probes, and when it was seen where. */
export interface Probe {
  seller: number;
  ordinal: number;
  /** Due inside the measured window (not the warm-up). */
  measured: boolean;
  /** performance.now() when the send carrying it started: handed to the Kafka client. */
  sentAt?: number;
  /** The first poll that found it in the totals (the poll's start). */
  visibleAt?: number;
}

interface Slot {
  record: KafkaRecord;
  probe?: Probe;
}

/**
 * Every event of one rate's run, made before the clock starts (making an event costs more CPU than
 * sending it, and the bench shares the machine with what it measures): event i is due at i / rate
 * seconds, every `probeInterval`-th event is a probe, and the expected totals are those of all of
 * them, since every one is sent.
 */
export interface Schedule {
  rate: number;
  slots: Slot[];
  /** Events due during the warm-up. */
  warmupEvents: number;
  probeInterval: number;
  expected: ExpectedTotals;
}

export function makeSchedule(stream: ExportStream, rate: number, warmupSeconds: number, seconds: number, probeEveryMs: number): Schedule {
  const total = Math.round(rate * (warmupSeconds + seconds));
  const warmupEvents = Math.round(rate * warmupSeconds);
  const probeInterval = Math.max(1, Math.round((rate * probeEveryMs) / 1000));
  const expected = new ExpectedTotals();
  const ordinals = new Array<number>(EXPORT_PARTITIONS).fill(0);
  const slots: Slot[] = [];
  for (let i = 0; i < total; i++) {
    if (i % probeInterval === 0) {
      const seller = (i / probeInterval) % EXPORT_PARTITIONS;
      ordinals[seller] += 1;
      const payload = stream.probe(seller);
      expected.add(payload);
      slots.push({ record: stream.record(payload), probe: { seller, ordinal: ordinals[seller], measured: i >= warmupEvents } });
    } else {
      const payload = stream.next();
      expected.add(payload);
      slots.push({ record: stream.record(payload) });
    }
  }
  return { rate, slots, warmupEvents, probeInterval, expected };
}

export interface PacingStats {
  events: number;
  measuredEvents: number;
  /** Measured events / seconds from the window's start to the last send. */
  achievedPerSecond: number;
  sends: number;
  largestSend: number;
  /** How far behind its due time the first event of a send went out, at worst (the producer's own queue). */
  maxBehindMs: number;
  maxSendMs: number;
  failures: string[];
}

const TICK_MS = 10;
/** A send larger than this waits for the next: only reached when the producer falls behind. */
const MAX_SEND = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Produces a schedule at its rate: every 10 ms the events due by then are queued, and one send at a
 * time (the idempotent producer's sequence numbers need that) takes everything queued, so the
 * topic sees a steady trickle of small batches, never a second's worth at once.
 */
export class SteadyProducer {
  private readonly queue: { slot: Slot; dueAt: number }[] = [];
  private sending?: Promise<void>;
  private readonly stats: PacingStats = { events: 0, measuredEvents: 0, achievedPerSecond: 0, sends: 0, largestSend: 0, maxBehindMs: 0, maxSendMs: 0, failures: [] };
  private lastSentAt = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly schedule: Schedule,
    private readonly onProbeSent: (probe: Probe) => void,
  ) {}

  /** Runs the warm-up and the measured window; `onMeasuring` marks the switch. Resolves when the last event is acknowledged. */
  async run(onMeasuring: () => void): Promise<PacingStats> {
    const { rate, slots, warmupEvents } = this.schedule;
    const start = performance.now();
    const measureFrom = start + (warmupEvents / rate) * 1000;
    let queued = 0;
    let measuring = false;
    for (let tick = 1; queued < slots.length; tick++) {
      const now = performance.now();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        onMeasuring();
      }
      const due = Math.min(slots.length, Math.floor(((now - start) * rate) / 1000));
      for (; queued < due; queued++) this.queue.push({ slot: slots[queued], dueAt: start + (queued * 1000) / rate });
      this.kick();
      await sleep(Math.max(0, start + tick * TICK_MS - performance.now()));
    }
    while (this.sending) await this.sending;
    this.stats.events = slots.length;
    this.stats.measuredEvents = slots.length - warmupEvents;
    this.stats.achievedPerSecond = Math.round(this.stats.measuredEvents / Math.max(0.001, (this.lastSentAt - measureFrom) / 1000));
    return this.stats;
  }

  private kick(): void {
    if (this.sending || this.queue.length === 0) return;
    this.sending = this.pump().finally(() => {
      this.sending = undefined;
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_SEND);
      const sentAt = performance.now();
      for (const { slot } of batch) {
        if (slot.probe) {
          slot.probe.sentAt = sentAt;
          this.onProbeSent(slot.probe);
        }
      }
      this.stats.sends += 1;
      this.stats.largestSend = Math.max(this.stats.largestSend, batch.length);
      this.stats.maxBehindMs = Math.max(this.stats.maxBehindMs, Math.round(sentAt - batch[0].dueAt));
      this.lastSentAt = sentAt;
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map(({ slot }) => slot.record) });
      } catch (error) {
        this.stats.failures.push(`a send of ${batch.length} events failed: ${(error as Error).message}`);
      }
      this.stats.maxSendMs = Math.max(this.stats.maxSendMs, Math.round(performance.now() - sentAt));
    }
  }
}
