import { ExportRecorded, ExportRecordedV1, fromKafkaHeaders, parsePayload } from '@niryat/contracts';
import { EXPORT_PARTITIONS, ExpectedTotals, ExportStream, partitionOfKey, probeMonth, PROBE_PROGRAMME, PROBE_STATE } from './workload';

describe('freshness bench workload', () => {
  it('makes ExportRecorded records the reporting consumer accepts: CloudEvents headers and a valid payload', () => {
    const stream = new ExportStream(7, 50);
    const payloads = [...Array.from({ length: 500 }, () => stream.next()), ...Array.from({ length: EXPORT_PARTITIONS }, (_, k) => stream.probe(k))];
    for (const payload of payloads) {
      const record = stream.record(payload);
      const headers = fromKafkaHeaders(record.headers);
      expect(headers.ok && headers.attributes.type).toBe(ExportRecorded.type);
      const parsed = parsePayload(ExportRecordedV1, JSON.parse(record.value));
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
      expect(record.key).toBe(payload.sellerId);
      // The totals are the sums of the lines, as the exports service records them.
      expect(payload.lines.reduce((sum, l) => sum + l.valueUsdMinor, 0)).toBe(payload.valueUsdMinor);
      expect(payload.lines.reduce((sum, l) => sum + l.valueInrMinor, 0)).toBe(payload.valueInrMinor);
    }
    expect(new Set(payloads.map((p) => p.currency)).size).toBeGreaterThan(4);
    expect(new Set(payloads.map((p) => p.stateCode)).size).toBeGreaterThan(5);
    expect(new Set(payloads.map((p) => p.shipmentDate.slice(0, 7))).size).toBeGreaterThan(8);
  });

  it('has one probe seller per partition, each alone in its probe row', () => {
    const stream = new ExportStream(1, 300);
    expect(stream.probeSellers.map((s) => partitionOfKey(s.sellerId))).toEqual(Array.from({ length: EXPORT_PARTITIONS }, (_, p) => p));
    const expected = new ExpectedTotals();
    for (let i = 0; i < 5_000; i++) expected.add(stream.next());
    for (let k = 0; k < EXPORT_PARTITIONS; k++) for (let n = 0; n <= k; n++) expected.add(stream.probe(k));
    for (let k = 0; k < EXPORT_PARTITIONS; k++) {
      expect(expected.rows.get(`${PROBE_PROGRAMME}|${PROBE_STATE}|${probeMonth(k)}`)?.orders).toBe(k + 1);
    }
  });

  it('is the same stream for the same seed', () => {
    const a = new ExportStream(3, 20);
    const b = new ExportStream(3, 20);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });
});
