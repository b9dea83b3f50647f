/**
 * What the benchmark takes from the exports service itself: the real module for the batch variant,
 * the real migrations for every bench schema, and the service's pure order logic, which the naive
 * variant reuses so both decide exactly alike and only the I/O pattern differs.
 */
export { ExportsModule } from '../src/app.module';
export { EXPORTS_MIGRATIONS } from '../src/database/migrations';
export { ExportsEnv } from '../src/exports.env';
export { PARTNER_ORDERS_GROUP } from '../src/orders/partner-orders.consumer';
export { acceptEvent } from '../src/orders/order-history';
export type { HistoryEvent, HistoryLine } from '../src/orders/order-history';
export { kindOf, toHistoryEvent } from '../src/orders/order-event-kinds';
export { ratesOn, valueLines } from '../src/orders/export-valuation';
export type { Valuation } from '../src/orders/export-valuation';
export { shipmentDateOf } from '../src/orders/order-processor';
export { enrolledProgrammesOn } from '../src/directory/enrolment-periods';
export type { EnrolmentPeriod } from '../src/directory/enrolment-periods';
