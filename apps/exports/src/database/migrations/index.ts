import { MessagingTables1763700000000 } from '@niryat/messaging';

export const EXPORTS_MIGRATIONS = [MessagingTables1763700000000];
