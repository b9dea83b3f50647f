import { EventDefinition } from './event-definition';
import { SellerApproved, SellerRegistered } from './events/onboarding-seller.events';

/** Every event type the platform publishes; the AsyncAPI document is checked against this list. */
export const EVENT_CATALOG: readonly EventDefinition[] = [SellerRegistered, SellerApproved] as EventDefinition[];

const byType = new Map(EVENT_CATALOG.map((definition) => [definition.type, definition]));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
