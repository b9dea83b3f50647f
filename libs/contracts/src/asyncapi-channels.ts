import { Json, JsonObject, objectAt } from './asyncapi-document';

/**
 * Test support for the asyncapi specs: the document's channels and the Kafka topics each stands
 * for. A channel's address is one topic, or a template whose `{parameters}` each list their values
 * (`niryat.partner.{partner}.orders.v1` with `partner` one of the partners): then it is one topic per
 * combination. A parameter without an `enum` (the dead letters' `{consumerGroup}`) makes the
 * channel a family of topics the document cannot list.
 */

export interface ChannelTopic {
  readonly topic: string;
  /** The parameter values that give this topic, e.g. `{ partner: 'amazon' }`. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface DocChannel {
  readonly id: string;
  readonly address: string;
  readonly node: JsonObject;
  /** Every topic of the address; undefined when a parameter has no enum of values. */
  readonly topics: readonly ChannelTopic[] | undefined;
}

export function placeholdersOf(address: string): string[] {
  return [...address.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** The topics an address stands for, given its channel's `parameters`. */
export function topicsOf(address: string, parameters: JsonObject): ChannelTopic[] | undefined {
  let topics: ChannelTopic[] = [{ topic: address, parameters: {} }];
  for (const name of placeholdersOf(address)) {
    const values: Json | undefined = objectAt(parameters, name)['enum'];
    if (!Array.isArray(values) || values.length === 0) return undefined;
    topics = topics.flatMap(({ topic, parameters: given }) =>
      values.map((value) => ({ topic: topic.replace(`{${name}}`, String(value)), parameters: { ...given, [name]: String(value) } })),
    );
  }
  return topics;
}

export function channelsOf(document: JsonObject): DocChannel[] {
  return Object.entries(objectAt(document, 'channels')).map(([id, node]) => {
    const channel = objectAt(node);
    const address = String(channel['address'] ?? '');
    return { id, address, node: channel, topics: topicsOf(address, objectAt(channel, 'parameters')) };
  });
}

/** The channel whose address is this topic, or whose template gives it. */
export function channelOfTopic(channels: readonly DocChannel[], topic: string): { channel: DocChannel; at: ChannelTopic } | undefined {
  for (const channel of channels) {
    const at = channel.topics?.find((t) => t.topic === topic);
    if (at) return { channel, at };
  }
  return undefined;
}
