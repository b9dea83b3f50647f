import { indianCalendarDate } from '@niryat/india';

/** Today in India, YYYY-MM-DD: cohorts start and end on Indian calendar days. */
export function indianToday(now = new Date()): string {
  return indianCalendarDate(now);
}
