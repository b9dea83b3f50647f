import { MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { SellerRegistry1763800000000 } from './1763800000000-seller-registry';
import { ProgrammeMarketplaces1765000000000 } from './1765000000000-programme-marketplaces';
import { EnrolledSince1765000000001 } from './1765000000001-enrolled-since';
import { ReviewedChanges1765000000002 } from './1765000000002-reviewed-changes';

/** In order of their timestamps; TypeORM records each one applied in the schema's `migrations` table. */
export const ONBOARDING_MIGRATIONS = [...MESSAGING_MIGRATIONS, SellerRegistry1763800000000, ProgrammeMarketplaces1765000000000, EnrolledSince1765000000001, ReviewedChanges1765000000002];
