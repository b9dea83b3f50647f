import { CERTIFICATE_NUMBER_PATTERN } from '@niryat/contracts';
import { certificateNumber, certificateYear, certificationDue, moduleCompletion, programmeAbbreviation } from './completion';
import { Curriculum, CurriculumModule } from './curriculum';
import { SEED_CURRICULA, VRIDDHI_CURRICULUM } from './seed-curricula';

const unassessed: CurriculumModule = { code: 'VRD-LOGIS', title: 'Logistics', mode: 'blended', durationHours: 4, required: true };
const assessed: CurriculumModule = { code: 'VRD-PACK', title: 'Packaging', mode: 'in-person', durationHours: 6, required: true, passMark: 60 };

describe('module completion', () => {
  it('completes a module without assessment on attendance alone', () => {
    expect(moduleCompletion({ module: unassessed, attendedSessions: 1 })).toEqual({ complete: true });
    expect(moduleCompletion({ module: unassessed, attendedSessions: 3, score: 10 })).toEqual({ complete: true });
  });

  it('needs at least one session attended', () => {
    expect(moduleCompletion({ module: unassessed, attendedSessions: 0 })).toEqual({ complete: false, reason: 'no session of VRD-LOGIS attended' });
  });

  it.each([[60], [61], [100]])('completes an assessed module with a score of %p against a pass mark of 60', (score) => {
    expect(moduleCompletion({ module: assessed, attendedSessions: 2, score })).toEqual({ complete: true });
  });

  it.each([[59], [0]])('does not complete an assessed module with a score of %p', (score) => {
    expect(moduleCompletion({ module: assessed, attendedSessions: 2, score })).toEqual({
      complete: false,
      reason: `score ${score} is below the pass mark 60 of VRD-PACK`,
    });
  });

  it('does not complete an assessed module attended but not yet scored', () => {
    expect(moduleCompletion({ module: assessed, attendedSessions: 2 })).toEqual({ complete: false, reason: expect.stringContaining('no score yet') });
  });

  it('does not complete an assessed module scored without attendance', () => {
    expect(moduleCompletion({ module: assessed, attendedSessions: 0, score: 95 })).toEqual({ complete: false, reason: 'no session of VRD-PACK attended' });
  });
});

describe('certification', () => {
  const curriculum: Curriculum = {
    id: 'test-2026',
    programmeId: 'walmart-vriddhi',
    title: 'Test',
    modules: [
      { ...unassessed, code: 'VRD-A' },
      { ...assessed, code: 'VRD-B' },
      { ...unassessed, code: 'VRD-OPT', required: false },
      { ...unassessed, code: 'VRD-C' },
    ],
  };

  it('is due when every required module is complete, whether or not optional ones are', () => {
    expect(certificationDue({ curriculum, completedModules: new Set(['VRD-C', 'VRD-A', 'VRD-B']) })).toEqual({ due: true, missing: [] });
    expect(certificationDue({ curriculum, completedModules: new Set(['VRD-A', 'VRD-B', 'VRD-C', 'VRD-OPT']) })).toEqual({ due: true, missing: [] });
  });

  it('lists the required modules still missing, in curriculum order, ignoring optional ones', () => {
    expect(certificationDue({ curriculum, completedModules: new Set(['VRD-B', 'VRD-OPT']) })).toEqual({ due: false, missing: ['VRD-A', 'VRD-C'] });
    expect(certificationDue({ curriculum, completedModules: new Set() })).toEqual({ due: false, missing: ['VRD-A', 'VRD-B', 'VRD-C'] });
  });

  it('ignores completed codes the curriculum does not have', () => {
    expect(certificationDue({ curriculum, completedModules: new Set(['ODOP-PACK', 'VRD-A']) }).missing).toEqual(['VRD-B', 'VRD-C']);
  });

  it('is due for Vriddhi once the required modules are done, without the optional ones', () => {
    const required = VRIDDHI_CURRICULUM.modules.filter((m) => m.required).map((m) => m.code);
    expect(certificationDue({ curriculum: VRIDDHI_CURRICULUM, completedModules: new Set(required) })).toEqual({ due: true, missing: [] });
  });
});

describe('certificate numbers', () => {
  it('numbers a certificate in India\u2019s year: 23:59 IST on 31 December is the old year, 00:01 IST on 1 January the new one', () => {
    expect(certificateYear(new Date('2026-12-30T18:31:00Z'))).toBe(2026); // 00:01 IST, 31 December
    expect(certificateYear(new Date('2026-12-31T18:29:00Z'))).toBe(2026); // 23:59 IST, 31 December
    expect(certificateYear(new Date('2026-12-31T18:31:00Z'))).toBe(2027); // 00:01 IST, 1 January (still 31 December in UTC)
  });

  it('read NIRYAT-<programme>-<year>-<6-digit serial>', () => {
    expect(certificateNumber({ programmeId: 'walmart-vriddhi', year: 2026, serial: 42 })).toBe('NIRYAT-VRD-2026-000042');
    expect(certificateNumber({ programmeId: 'flipkart-walmart-odop-up', year: 2026, serial: 999_999 })).toBe('NIRYAT-ODOPUP-2026-999999');
  });

  it('match the contract pattern for every seeded programme', () => {
    for (const { programmeId } of SEED_CURRICULA) {
      expect(certificateNumber({ programmeId, year: 2026, serial: 1 })).toMatch(CERTIFICATE_NUMBER_PATTERN);
    }
  });

  it.each([
    ['tamil-nadu-msme-export', 'TNME'],
    ['vriddhi', 'VRIDDHI'],
    ['supplierdevelopment', 'SUPPLIER'],
    ['a1-b2-c3-d4-e5-f6-g7-h8-i9', 'ABCDEFGH'],
    ['gem-2', 'G2'],
  ])('abbreviate programme %s without a fixed name as %s', (programmeId, abbreviation) => {
    expect(programmeAbbreviation(programmeId)).toBe(abbreviation);
    expect(certificateNumber({ programmeId, year: 2027, serial: 7 })).toMatch(CERTIFICATE_NUMBER_PATTERN);
  });

  it.each([
    [{ year: 26, serial: 1 }],
    [{ year: 2026.5, serial: 1 }],
    [{ year: 2026, serial: 0 }],
    [{ year: 2026, serial: 1_000_000 }],
    [{ year: 2026, serial: 1.5 }],
  ])('refuse year and serial %j', (input) => {
    expect(() => certificateNumber({ programmeId: 'walmart-vriddhi', ...input })).toThrow(RangeError);
  });
});
