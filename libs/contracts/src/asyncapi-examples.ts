import { dereference, Json, loadAsyncApi, objectAt } from './asyncapi-document';

/**
 * Test and benchmark support: the example payloads docs/asyncapi.yaml gives for an event type, as
 * realistic valid payloads (asyncapi.spec.ts holds every one to parsePayload). Only the messages of
 * that type count: a dead letter's example carries an event's headers with a payload it refused.
 * Not exported from the library's index.
 */
export function examplePayloadsOf(type: string, document = dereference(loadAsyncApi()).document): Json[] {
  return Object.values(objectAt(document, 'components', 'messages'))
    .filter((message) => objectAt(message, 'headers', 'properties', 'ce_type')['const'] === type)
    .flatMap((message) => {
      const examples = objectAt(message)['examples'];
      return (Array.isArray(examples) ? examples : []).map((example) => objectAt(example)['payload'] ?? null);
    });
}
