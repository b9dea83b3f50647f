/** Consumer groups of the exports service (their inboxes and dead-letter topics are named after them). */
export const PARTNER_ORDERS_GROUP = 'exports.partner-orders';
export const ONBOARDING_EVENTS_GROUP = 'exports.onboarding-events';
