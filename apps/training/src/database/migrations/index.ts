import { MessagingTables1763700000000 } from '@niryat/messaging';
import { Training1764000000000 } from './1764000000000-training';

export const TRAINING_MIGRATIONS = [MessagingTables1763700000000, Training1764000000000];
