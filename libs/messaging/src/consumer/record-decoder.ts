import { EventDefinition, findEventDefinition, fromKafkaHeaders, parsePayload } from '@niryat/contracts';
import { KafkaMessage } from 'kafkajs';
import { Decoded, DeadLetterCode, RecordPosition } from './inbound-event';

/**
 * Decides, for one raw record, whether this consumer applies it, skips it, or dead-letters it.
 * Pure: no I/O, so every rule here is unit-tested without Kafka.
 */
export class RecordDecoder {
  private readonly handled: Map<string, EventDefinition>;

  /**
   * @param expectedSources topics (as consumed, namespace included) whose records must carry this
   *   ce_source and be of a handled type: a partner's own topic, which only that partner may write.
   */
  constructor(
    handles: readonly EventDefinition[],
    private readonly expectedSources: ReadonlyMap<string, string> = new Map(),
  ) {
    this.handled = new Map(handles.map((d) => [d.type, d]));
  }

  decode(topic: string, partition: number, message: KafkaMessage): Decoded {
    const position: RecordPosition = { topic, partition, offset: message.offset };
    const reject = (code: string, reason: string, errors?: { field: string; code: string; message: string }[]) => ({
      rejection: { ...position, message, code, reason, errors },
    });

    const header = fromKafkaHeaders(message.headers);
    if (!header.ok) return reject(DeadLetterCode.missingHeaders, header.reason);
    const { attributes } = header;

    const expectedSource = this.expectedSources.get(topic);
    if (expectedSource !== undefined && attributes.source !== expectedSource) {
      return reject(DeadLetterCode.sourceMismatch, `ce_source '${attributes.source}' on ${topic}, which only '${expectedSource}' writes: the topic says who sent a record`);
    }

    const definition = this.handled.get(attributes.type);
    if (!definition) {
      if (expectedSource !== undefined) return reject(DeadLetterCode.unexpectedType, `event type '${attributes.type}' does not belong on ${topic}`);
      if (findEventDefinition(attributes.type)) return { ignored: { ...position, ignored: true } };
      return reject(DeadLetterCode.unknownType, `unknown event type '${attributes.type}'`);
    }

    if (!message.value || message.value.length === 0) return reject(DeadLetterCode.emptyValue, 'record has no value');
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return reject(DeadLetterCode.notJson, `value is not JSON: ${(error as Error).message}`);
    }

    const parsed = parsePayload(definition.payload, json);
    if (!parsed.ok) {
      const summary = parsed.errors.map((e) => `${e.field || '(value)'}: ${e.message}`).join('; ');
      return reject(DeadLetterCode.invalidPayload, `invalid ${attributes.type} payload: ${summary}`, parsed.errors);
    }

    return {
      event: {
        ...position,
        key: message.key ? message.key.toString('utf8') : null,
        attributes,
        definition,
        payload: parsed.payload,
        message,
      },
    };
  }
}
