import { readTopicsToEnd } from '@niryat/messaging';
import { KafkaMessage } from 'kafkajs';
import { kafkaOf, PlatformTarget } from './platform';

/** Topics whole, from their start to their end as it was when the read began, by topic in offset order per partition. */
export async function readTopics(target: PlatformTarget, topics: readonly string[]): Promise<Map<string, KafkaMessage[]>> {
  const kafka = kafkaOf(target, 'niryat-simulator-verify');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const byTopic = new Map<string, KafkaMessage[]>(topics.map((t) => [t, []]));
    for (const r of await readTopicsToEnd(kafka, admin, topics)) byTopic.get(r.topic)?.push(r.message);
    return byTopic;
  } finally {
    await admin.disconnect();
  }
}

/** The latest value of each key of a compacted topic whose key `keep` accepts, parsed. */
export function latestByKey<T>(messages: readonly KafkaMessage[], keep: (key: string) => boolean): Map<string, T> {
  const latest = new Map<string, T>();
  for (const message of messages) {
    const key = message.key?.toString('utf8') ?? '';
    if (keep(key) && message.value) latest.set(key, JSON.parse(message.value.toString('utf8')) as T);
  }
  return latest;
}
