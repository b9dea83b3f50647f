import { randomUUID } from 'node:crypto';
import { SellerApproved, toKafkaHeaders } from '@niryat/contracts';
import { uniqueSuffix } from '@niryat/testing';
import { outboxEvent } from '../src';
import { approval, TallyHarness } from './tally-harness';

export function namespace(label: string): string {
  return `t-${label}-${uniqueSuffix()}`;
}

/** Writes N approvals to the outbox in one transaction, as onboarding does. */
export async function writeApprovals(harness: TallyHarness, count: number): Promise<string[]> {
  const sellers = Array.from({ length: count }, () => randomUUID());
  const writer = harness.outboxWriter();
  await harness.dataSource.transaction((manager) =>
    writer.append(
      manager,
      sellers.map((id) => outboxEvent(SellerApproved, approval(id))),
    ),
  );
  return sellers;
}

/** Produces records straight to the topic, bypassing the outbox: how partners and garbage arrive. */
export async function produceRaw(harness: TallyHarness, messages: { key: string; value: string | null; headers: Record<string, string> }[]) {
  const producer = await harness.kafka.producer();
  await producer.send({ topic: harness.kafka.topic(SellerApproved.topic), messages });
}

export function approvalHeaders(id = randomUUID()): Record<string, string> {
  return toKafkaHeaders({ id, type: SellerApproved.type, source: '/niryat/test', time: new Date().toISOString() });
}
