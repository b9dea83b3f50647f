import { indianCalendarDate } from '@niryat/india';
import { CERTIFICATE_NUMBER_PATTERN } from '@niryat/contracts';
import { Curriculum, CurriculumModule } from './curriculum';

export interface ModuleCompletion {
  complete: boolean;
  /** Why not, for staff and the learner; absent when complete. */
  reason?: string;
}

/**
 * A module is complete once the learner has attended at least one of its sessions and, when the
 * module is assessed, holds a score at or above its pass mark. Attendance is not optional for an
 * assessed module: a score without attendance is someone sitting the test for a course they did not
 * take, and the certificate vouches for the training.
 */
export function moduleCompletion({ module, attendedSessions, score }: { module: CurriculumModule; attendedSessions: number; score?: number }): ModuleCompletion {
  if (!(attendedSessions >= 1)) return { complete: false, reason: `no session of ${module.code} attended` };
  if (module.passMark === undefined) return { complete: true };
  if (score === undefined) return { complete: false, reason: `${module.code} is assessed (pass mark ${module.passMark}) and has no score yet` };
  if (!(score >= module.passMark)) return { complete: false, reason: `score ${score} is below the pass mark ${module.passMark} of ${module.code}` };
  return { complete: true };
}

/**
 * A certificate is due when every required module is complete; optional modules neither help nor
 * hinder. `missing` lists the required modules still to complete, in curriculum order.
 */
export function certificationDue({ curriculum, completedModules }: { curriculum: Curriculum; completedModules: ReadonlySet<string> }): {
  due: boolean;
  missing: string[];
} {
  const missing = curriculum.modules.filter((m) => m.required && !completedModules.has(m.code)).map((m) => m.code);
  return { due: missing.length === 0, missing };
}

/**
 * The short names certificates carry for the programmes of the seed articles. Learners know
 * Vriddhi by its own name, not Walmart's, hence VRD, as its module codes; ODOP-UP keeps both words
 * that set it apart. Printed certificates carry them, so they are never changed.
 */
export const PROGRAMME_ABBREVIATIONS: Readonly<Record<string, string>> = Object.freeze({
  'walmart-vriddhi': 'VRD',
  'flipkart-walmart-odop-up': 'ODOPUP',
  'amazon-global-selling': 'AGS',
});

/**
 * For a programme outside the table: the initials of the words of its id (`tamil-nadu-msme-export`
 * → `TNME`), at most 8; an id of one word is its first 8 characters (`vriddhi` → `VRIDDHI`).
 * Programme ids are lower-case letters and digits in dash-separated words, so the result fits
 * `[A-Z0-9]{2,8}`; the first word of a one-word id has at least 3 characters.
 */
export function programmeAbbreviation(programmeId: string): string {
  if (Object.prototype.hasOwnProperty.call(PROGRAMME_ABBREVIATIONS, programmeId)) return PROGRAMME_ABBREVIATIONS[programmeId];
  const words = programmeId.split('-').filter((w) => w.length > 0);
  const abbreviation = words.length >= 2 ? words.map((w) => w[0]).join('') : (words[0] ?? '');
  return abbreviation.slice(0, 8).toUpperCase();
}

/** The year a certificate awarded at `at` is numbered in: India's year (a certificate at 00:01 IST on 1 January is the new year's). */
export function certificateYear(at: Date): number {
  return Number(indianCalendarDate(at).slice(0, 4));
}

/** `NIRYAT-<programme>-<year>-<serial of 6 digits>`, e.g. `NIRYAT-VRD-2026-000042`. */
export function certificateNumber({ programmeId, year, serial }: { programmeId: string; year: number; serial: number }): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`certificate year must have four digits, not ${year}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 999_999) throw new RangeError(`certificate serial must be from 1 to 999999, not ${serial}`);
  const number = `NIRYAT-${programmeAbbreviation(programmeId)}-${year}-${String(serial).padStart(6, '0')}`;
  if (!CERTIFICATE_NUMBER_PATTERN.test(number)) throw new RangeError(`programme id ${programmeId} gives no valid certificate number (${number})`);
  return number;
}
