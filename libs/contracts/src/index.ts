export * from './topics';
export * from './cloudevents';
export * from './event-definition';
export * from './event-catalog';
export * from './events/onboarding-seller.events';
export * from './events/onboarding-programme.events';
export * from './reference/marketplaces';
export * from './reference/indian-states';
