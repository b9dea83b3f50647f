import { MessagingTables1763700000000 } from '@niryat/messaging';
import { Sellers1763700000001 } from './1763700000001-sellers';

/** In order of their timestamps; TypeORM records each one applied in the schema's `migrations` table. */
export const ONBOARDING_MIGRATIONS = [MessagingTables1763700000000, Sellers1763700000001];
