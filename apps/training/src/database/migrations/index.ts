import { MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { Training1764000000000 } from './1764000000000-training';

export const TRAINING_MIGRATIONS = [...MESSAGING_MIGRATIONS, Training1764000000000];
