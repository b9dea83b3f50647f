import { EventDefinition } from '@niryat/contracts';
import { BatchConsumerOptions, HandlerOutcome } from './batch-consumer';

type ConsumerPart = Omit<BatchConsumerOptions, 'afterDatabaseCommit'>;

/**
 * One consumer group for several handlers of the same service: the union of their topics, each
 * record decoded and validated once, and each chunk applied by every handler (to the events of the
 * types it handles, in order) in one transaction with one inbox row per event and one stored offset.
 * Several groups reading one topic each decode every record again and commit their own
 * transaction per chunk; in one process that is most of the work (`npm run bench:freshness`).
 *
 * The parts' own `groupId`s are not used. A part that refuses an event (HandlerOutcome.rejected)
 * sends it to the dead-letter topic for all of them; give such refusals to one part only.
 */
export function combineConsumers(groupId: string, parts: readonly ConsumerPart[]): ConsumerPart {
  if (parts.length === 0) throw new Error('combineConsumers needs at least one part');
  const schema = parts[0].schema;
  if (parts.some((p) => p.schema !== schema)) throw new Error('combined consumers must share one schema');
  const handles = new Map<string, EventDefinition>();
  for (const part of parts) for (const definition of part.handles) handles.set(definition.type, definition);
  const routes = parts.map((part) => ({ types: new Set(part.handles.map((d) => d.type)), handler: part.handler }));
  return {
    groupId,
    topics: [...new Set(parts.flatMap((p) => p.topics))],
    handles: [...handles.values()],
    schema,
    maxChunkSize: parts[0].maxChunkSize,
    handler: async (events, manager) => {
      const rejected: NonNullable<HandlerOutcome['rejected']> = [];
      for (const route of routes) {
        const mine = events.filter((e) => route.types.has(e.attributes.type));
        if (mine.length === 0) continue;
        const outcome = await route.handler(mine, manager);
        for (const r of outcome?.rejected ?? []) if (!rejected.some((x) => x.event === r.event)) rejected.push(r);
      }
      return rejected.length > 0 ? { rejected } : undefined;
    },
  };
}
