import { ExportRecorded, SellerApproved, SellerRegistered, Topics } from '@niryat/contracts';
import { EntityManager } from 'typeorm';
import { BatchConsumerOptions } from './batch-consumer';
import { combineConsumers } from './combined-consumer';
import { InboundEvent } from './inbound-event';

const event = (type: string, id: string) => ({ attributes: { type, id, source: '/t' } }) as unknown as InboundEvent;
const manager = {} as EntityManager;

function part(groupId: string, topics: string[], handles: BatchConsumerOptions['handles'], seen: string[][], rejectIds: string[] = []): BatchConsumerOptions {
  return {
    groupId,
    topics,
    handles,
    schema: 'reporting',
    maxChunkSize: 7,
    handler: async (events) => {
      seen.push(events.map((e) => e.attributes.id));
      const rejected = events.filter((e) => rejectIds.includes(e.attributes.id)).map((e) => ({ event: e, code: 'X', reason: 'no' }));
      return rejected.length > 0 ? { rejected } : undefined;
    },
  };
}

describe('combineConsumers', () => {
  it('reads the union of the topics and types under one group, with the first part’s chunk size', () => {
    const combined = combineConsumers('reporting.views', [
      part('a', [Topics.onboardingSeller], [SellerApproved], []),
      part('b', [Topics.onboardingSeller, Topics.exports], [SellerApproved, SellerRegistered, ExportRecorded], []),
    ]);
    expect(combined).toMatchObject({ groupId: 'reporting.views', topics: [Topics.onboardingSeller, Topics.exports], schema: 'reporting', maxChunkSize: 7 });
    expect(combined.handles.map((d) => d.type)).toEqual([SellerApproved.type, SellerRegistered.type, ExportRecorded.type]);
  });

  it('gives each part the events of its types, in order, and nothing when it has none', async () => {
    const a: string[][] = [];
    const b: string[][] = [];
    const combined = combineConsumers('g', [part('a', [], [SellerApproved], a), part('b', [], [ExportRecorded, SellerApproved], b)]);
    await combined.handler([event(ExportRecorded.type, '1'), event(SellerApproved.type, '2'), event(ExportRecorded.type, '3')], manager);
    await combined.handler([event(ExportRecorded.type, '4')], manager);
    expect(a).toEqual([['2']]);
    expect(b).toEqual([['1', '2', '3'], ['4']]);
  });

  it('passes on what any part refused, once', async () => {
    const combined = combineConsumers('g', [part('a', [], [SellerApproved], [], ['2']), part('b', [], [SellerApproved], [], ['2'])]);
    const outcome = await combined.handler([event(SellerApproved.type, '1'), event(SellerApproved.type, '2')], manager);
    expect(outcome?.rejected?.map((r) => r.event.attributes.id)).toEqual(['2']);
    expect(await combined.handler([event(SellerApproved.type, '1')], manager)).toBeUndefined();
  });

  it('refuses parts on different schemas, and no parts', () => {
    expect(() => combineConsumers('g', [])).toThrow(/at least one/);
    expect(() => combineConsumers('g', [part('a', [], [], []), { ...part('b', [], [], []), schema: 'other' }])).toThrow(/one schema/);
  });
});
