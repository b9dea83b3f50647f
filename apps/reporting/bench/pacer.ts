import type { PacedSchedule } from '@niryat/testing';
import { ExpectedTotals, EXPORT_PARTITIONS, ExportStream } from './workload';

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

/**
 * Every event of one rate's run, made before the clock starts (making an event costs more CPU than
 * sending it, and the bench shares the machine with what it measures): event i is due at i / rate
 * seconds, every `probeInterval`-th event is a probe, and the expected totals are those of all of
 * them, since every one is sent.
 */
export interface Schedule extends PacedSchedule<Probe> {
  probeInterval: number;
  expected: ExpectedTotals;
}

export function makeSchedule(stream: ExportStream, rate: number, warmupSeconds: number, seconds: number, probeEveryMs: number): Schedule {
  const total = Math.round(rate * (warmupSeconds + seconds));
  const warmupEvents = Math.round(rate * warmupSeconds);
  const probeInterval = Math.max(1, Math.round((rate * probeEveryMs) / 1000));
  const expected = new ExpectedTotals();
  const ordinals = new Array<number>(EXPORT_PARTITIONS).fill(0);
  const slots: Schedule['slots'] = [];
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
