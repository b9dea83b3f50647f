import { MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { ApprovedSellers1763700000101 } from './1763700000101-approved-sellers';
import { ExportTotals1764100000000 } from './1764100000000-export-totals';
import { SellerFunnel1764200000000 } from './1764200000000-seller-funnel';
import { ProgrammeProgress1764300000000 } from './1764300000000-programme-progress';
import { TrainingImpact1764400000000 } from './1764400000000-training-impact';
import { OneReportingConsumer1764500000000 } from './1764500000000-one-reporting-consumer';
import { OneExportFactsLedger1764600000000 } from './1764600000000-one-export-facts-ledger';
import { RoomForUpdates1764700000000 } from './1764700000000-room-for-updates';
import { AttributionByMarketplace1765000000000 } from './1765000000000-attribution-by-marketplace';
import { FunnelThatNarrows1765000000100 } from './1765000000100-funnel-that-narrows';

export const REPORTING_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ApprovedSellers1763700000101,
  ExportTotals1764100000000,
  SellerFunnel1764200000000,
  ProgrammeProgress1764300000000,
  TrainingImpact1764400000000,
  OneReportingConsumer1764500000000,
  OneExportFactsLedger1764600000000,
  RoomForUpdates1764700000000,
  AttributionByMarketplace1765000000000,
  FunnelThatNarrows1765000000100,
];
