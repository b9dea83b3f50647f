import { CloudEventAttributes, EventDefinition, FieldError } from '@niryat/contracts';
import { KafkaMessage } from 'kafkajs';

/** Where a record came from; enough to find it again in Kafka. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A record that passed every check: known type, CloudEvents headers, valid payload. */
export interface InboundEvent<P extends object = object> extends RecordPosition {
  key: string | null;
  attributes: CloudEventAttributes;
  definition: EventDefinition<P>;
  payload: P;
  /** The record as received, so a dead letter carries the original bytes and headers. */
  message: KafkaMessage;
}

/** Stable codes for why a record was dead-lettered; the reason header carries the detail. */
export const DeadLetterCode = {
  missingHeaders: 'MESSAGING.INVALID_CLOUDEVENT',
  unknownType: 'MESSAGING.UNKNOWN_EVENT_TYPE',
  emptyValue: 'MESSAGING.EMPTY_VALUE',
  notJson: 'MESSAGING.NOT_JSON',
  invalidPayload: 'MESSAGING.INVALID_PAYLOAD',
  handlerFailed: 'MESSAGING.HANDLER_FAILED',
  /** On a topic one writer owns (a partner's), a record whose ce_source names another. */
  sourceMismatch: 'MESSAGING.SOURCE_MISMATCH',
  /** On a topic one writer owns, a record of a type that does not belong there. */
  unexpectedType: 'MESSAGING.UNEXPECTED_EVENT_TYPE',
} as const;
export type DeadLetterCode = (typeof DeadLetterCode)[keyof typeof DeadLetterCode];

export interface Rejection extends RecordPosition {
  message: KafkaMessage;
  code: DeadLetterCode | string;
  reason: string;
  errors?: FieldError[];
}

/** A record of a type the platform knows but this consumer does not handle: skipped, not an error. */
export interface Ignored extends RecordPosition {
  ignored: true;
}

export type Decoded = { event: InboundEvent } | { rejection: Rejection } | { ignored: Ignored };
