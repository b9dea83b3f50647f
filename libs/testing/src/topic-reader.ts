import { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function toRecord(partition: number, message: KafkaMessage): ReadRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return { partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? null, headers };
}

/** Reads every record currently on a topic, from offset zero to the high-water mark of each partition. */
export async function readWholeTopic(brokers: string[], topic: string): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'test-topic-reader', brokers, logLevel: 1 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const pending = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, BigInt(o.high)]));
    if (pending.size === 0) return [];
    const consumer = kafka.consumer({ groupId: `test-reader-${process.pid}-${Date.now()}-${Math.random()}` });
    const records: ReadRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}`)), 30_000);
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              records.push(toRecord(partition, message));
              const high = pending.get(partition);
              if (high !== undefined && BigInt(message.offset) + 1n >= high) pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.disconnect();
  }
}
