import { Message, Producer } from 'kafkajs';
import { performance } from 'node:perf_hooks';

/** A scheduled record; a probe's `sentAt` is set to performance.now() when the send carrying it starts. */
export interface PacedSlot<P extends { sentAt?: number }> {
  record: Message;
  probe?: P;
}

/** Record i is due at i / rate seconds; the first `warmupEvents` are the warm-up, not measured. */
export interface PacedSchedule<P extends { sentAt?: number }> {
  rate: number;
  slots: PacedSlot<P>[];
  warmupEvents: number;
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
 * Produces a schedule at its rate: every 10 ms the records due by then are queued, and one send at
 * a time (the idempotent producer's sequence numbers need that) takes everything queued, so the
 * topic sees a steady trickle of small batches, never a second's worth at once. Made before the
 * clock starts: making a record costs more CPU than sending it, and a bench shares the machine
 * with what it measures.
 */
export class SteadyProducer<P extends { sentAt?: number }> {
  private readonly queue: { slot: PacedSlot<P>; dueAt: number }[] = [];
  private sending?: Promise<void>;
  private readonly stats: PacingStats = { events: 0, measuredEvents: 0, achievedPerSecond: 0, sends: 0, largestSend: 0, maxBehindMs: 0, maxSendMs: 0, failures: [] };
  private lastSentAt = 0;

  constructor(
    private readonly producer: Producer,
    /** The topic of each record (partner records go to their partner's own topic). */
    private readonly topicOf: (record: Message) => string,
    private readonly schedule: PacedSchedule<P>,
    private readonly onProbeSent: (probe: P) => void,
  ) {}

  /** Runs the warm-up and the measured window; `onMeasuring` marks the switch. Resolves when the last record is acknowledged. */
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
        const byTopic = new Map<string, Message[]>();
        for (const { slot } of batch) {
          const topic = this.topicOf(slot.record);
          const messages = byTopic.get(topic);
          if (messages) messages.push(slot.record);
          else byTopic.set(topic, [slot.record]);
        }
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (error) {
        this.stats.failures.push(`a send of ${batch.length} events failed: ${(error as Error).message}`);
      }
      this.stats.maxSendMs = Math.max(this.stats.maxSendMs, Math.round(performance.now() - sentAt));
    }
  }
}
