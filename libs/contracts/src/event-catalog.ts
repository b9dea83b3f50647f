import { EventDefinition } from './event-definition';
import { ExportAdjusted, ExportRecorded } from './events/exports.events';
import { ProgrammeDefined, ProgrammeUpdated } from './events/onboarding-programme.events';
import { PARTNER_ORDER_EVENTS } from './events/partner-order.events';
import { REPORTING_EVENTS } from './events/reporting.events';
import { TRAINING_EVENTS } from './events/training.events';
import {
  MarketplaceAccountLinked,
  MarketplaceAccountUnlinked,
  SellerApproved,
  SellerChangeApproved,
  SellerChangeRejected,
  SellerChangeRequested,
  SellerEnrolled,
  SellerProfileChanged,
  SellerRegistered,
  SellerReinstated,
  SellerRejected,
  SellerReviewStarted,
  SellerSuspended,
  SellerWithdrawn,
} from './events/onboarding-seller.events';

/** Every event type the platform publishes; the AsyncAPI document is checked against this list. */
export const EVENT_CATALOG: readonly EventDefinition[] = [
  SellerRegistered,
  SellerReviewStarted,
  SellerApproved,
  SellerRejected,
  SellerSuspended,
  SellerReinstated,
  SellerProfileChanged,
  SellerEnrolled,
  SellerWithdrawn,
  SellerChangeRequested,
  SellerChangeApproved,
  SellerChangeRejected,
  MarketplaceAccountLinked,
  MarketplaceAccountUnlinked,
  ProgrammeDefined,
  ProgrammeUpdated,
  ...PARTNER_ORDER_EVENTS,
  ExportRecorded,
  ExportAdjusted,
  ...TRAINING_EVENTS,
  ...REPORTING_EVENTS,
] as EventDefinition[];

const byType = new Map(EVENT_CATALOG.map((definition) => [definition.type, definition]));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
