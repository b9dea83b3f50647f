import { MODULE_CODE_PATTERN } from '@niryat/contracts';

/**
 * A programme's curriculum: the modules a learner takes, how each is taught, and which of them a
 * certificate needs. Pure data and its rules; the service stores curricula and calls these.
 */

export type ModuleMode = 'in-person' | 'online' | 'blended';

export interface CurriculumModule {
  /** Stable across editions of the curriculum (events and attendance refer to it), e.g. `VRD-EXPDOC`. */
  code: string;
  title: string;
  mode: ModuleMode;
  durationHours: number;
  /** Needed for certification; optional modules are offered but never block a certificate. */
  required: boolean;
  /** 1-100; when set, the module is assessed and completing it needs a score at or above it. */
  passMark?: number;
}

export interface Curriculum {
  id: string;
  programmeId: string;
  title: string;
  modules: CurriculumModule[];
}

/** One broken rule, in the shape of the platform's 400 `fields[]`: `code` is stable, `message` for people. */
export interface CurriculumProblem {
  field: string;
  code: string;
  message: string;
}

/** The codes are API: add, never rename. */
export const CurriculumRule = {
  moduleCodeFormat: 'moduleCodeFormat',
  moduleCodeUnique: 'moduleCodeUnique',
  requiredModule: 'requiredModule',
  moduleDuration: 'moduleDuration',
  modulePassMark: 'modulePassMark',
} as const;

export const MIN_MODULE_HOURS = 1;
/** Longer than a working month of full days: a module that big is a programme of its own. */
export const MAX_MODULE_HOURS = 200;

/** Every problem of the curriculum at once, in module order; empty when it is valid. */
export function validateCurriculum(curriculum: Curriculum): CurriculumProblem[] {
  const problems: CurriculumProblem[] = [];
  const firstIndexOfCode = new Map<string, number>();

  curriculum.modules.forEach((module, index) => {
    const at = `modules[${index}]`;
    if (typeof module.code !== 'string' || !MODULE_CODE_PATTERN.test(module.code)) {
      problems.push({
        field: `${at}.code`,
        code: CurriculumRule.moduleCodeFormat,
        message: 'module code must be upper-case letters and digits in dash-separated parts, starting with a letter, e.g. VRD-EXPDOC',
      });
    } else if (firstIndexOfCode.has(module.code)) {
      problems.push({
        field: `${at}.code`,
        code: CurriculumRule.moduleCodeUnique,
        message: `module code ${module.code} is already used by modules[${firstIndexOfCode.get(module.code)}]`,
      });
    } else {
      firstIndexOfCode.set(module.code, index);
    }

    const hours = module.durationHours;
    if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < MIN_MODULE_HOURS || hours > MAX_MODULE_HOURS) {
      problems.push({
        field: `${at}.durationHours`,
        code: CurriculumRule.moduleDuration,
        message: `a module lasts from ${MIN_MODULE_HOURS} to ${MAX_MODULE_HOURS} hours`,
      });
    }

    // Scores are whole percentages (ModuleCompletedV1.score), so a pass mark is one too.
    if (module.passMark !== undefined && (!Number.isInteger(module.passMark) || module.passMark < 1 || module.passMark > 100)) {
      problems.push({
        field: `${at}.passMark`,
        code: CurriculumRule.modulePassMark,
        message: 'pass mark is a whole number from 1 to 100, or absent for a module without assessment',
      });
    }
  });

  if (!curriculum.modules.some((m) => m.required === true)) {
    problems.push({
      field: 'modules',
      code: CurriculumRule.requiredModule,
      message: 'a curriculum needs at least one required module; without one a certificate would be due before any training',
    });
  }
  return problems;
}
