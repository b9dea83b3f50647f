/**
 * When a seller was enrolled in a programme, as days in India: from the day of the enrolment, up
 * to (not including) the day of the withdrawal; `until` is null while it lasts. A seller may
 * withdraw and enrol again, so a programme may have several periods.
 */
export interface EnrolmentPeriod {
  programmeId: string;
  from: string;
  until: string | null;
}

/** Days before any enrolment the directory knew of (rows kept before periods were): enrolled since always. */
export const SINCE_ALWAYS = '0001-01-01';

/**
 * The periods after an enrolment from `day`: a new period, unless one is open already. A
 * backdated enrolment never reaches into an earlier period of the programme: it starts where
 * the last one ended, at the earliest.
 */
export function withEnrolment(periods: readonly EnrolmentPeriod[], programmeId: string, day: string): EnrolmentPeriod[] {
  if (periods.some((p) => p.programmeId === programmeId && p.until === null)) return [...periods];
  const lastEnd = periods.filter((p) => p.programmeId === programmeId).reduce((end, p) => ((p.until ?? '') > end ? (p.until ?? '') : end), '');
  return [...periods, { programmeId, from: day < lastEnd ? lastEnd : day, until: null }];
}

/** The periods after a withdrawal on `day`: the open period ends that day (a withdrawal the same day leaves an empty one, dropped). */
export function withWithdrawal(periods: readonly EnrolmentPeriod[], programmeId: string, day: string): EnrolmentPeriod[] {
  return periods
    .map((p) => (p.programmeId === programmeId && p.until === null ? { ...p, until: day < p.from ? p.from : day } : p))
    .filter((p) => p.until === null || p.until > p.from);
}

/**
 * The programmes a seller was enrolled in on `day` (YYYY-MM-DD in India), each once, in byte order:
 * what an export shipped that day counts in, before its marketplace is matched (reporting's
 * `attributeExport`). Enrolled the day of the enrolment; no longer on the day of the withdrawal.
 */
export function enrolledProgrammesOn(periods: readonly EnrolmentPeriod[], day: string): string[] {
  const enrolled = new Set(periods.filter((p) => p.from <= day && (p.until === null || day < p.until)).map((p) => p.programmeId));
  return [...enrolled].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
