import { MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { ExportLedger1763900000000 } from './1763900000000-export-ledger';
import { PartnerKeys1763900000001 } from './1763900000001-partner-keys';
import { EnrolmentPeriods1765000000000 } from './1765000000000-enrolment-periods';
import { RefusedOrderEvents1765000000001 } from './1765000000001-refused-order-events';
import { ParkedEventsExpiry1765200000000 } from './1765200000000-parked-events-expiry';

export const EXPORTS_MIGRATIONS = [...MESSAGING_MIGRATIONS, ExportLedger1763900000000, PartnerKeys1763900000001, EnrolmentPeriods1765000000000, RefusedOrderEvents1765000000001, ParkedEventsExpiry1765200000000];
