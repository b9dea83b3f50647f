import { Curriculum, CurriculumModule, CurriculumRule, validateCurriculum } from './curriculum';

function mod(code: string, extra: Partial<CurriculumModule> = {}): CurriculumModule {
  return { code, title: `Module ${code}`, mode: 'online', durationHours: 4, required: true, ...extra };
}

function curriculum(...modules: CurriculumModule[]): Curriculum {
  return { id: 'test-2026', programmeId: 'walmart-vriddhi', title: 'Test', modules };
}

describe('curriculum validation', () => {
  it('accepts a curriculum that keeps every rule', () => {
    expect(validateCurriculum(curriculum(mod('VRD-EXPDOC', { passMark: 60 }), mod('VRD-BRAND', { required: false })))).toEqual([]);
  });

  it.each(['vrd-expdoc', 'VRD_EXPDOC', '1VRD', 'VRD-', 'VRD--PACK', '', 'VRD PACK'])('refuses module code %j', (code) => {
    expect(validateCurriculum(curriculum(mod('VRD-OK'), mod(code)))).toEqual([
      { field: 'modules[1].code', code: CurriculumRule.moduleCodeFormat, message: expect.stringContaining('VRD-EXPDOC') },
    ]);
  });

  it('refuses a module code used twice, naming the first use', () => {
    const problems = validateCurriculum(curriculum(mod('VRD-PACK'), mod('VRD-FIN'), mod('VRD-PACK')));
    expect(problems).toEqual([{ field: 'modules[2].code', code: CurriculumRule.moduleCodeUnique, message: expect.stringContaining('modules[0]') }]);
  });

  it('needs at least one required module', () => {
    expect(validateCurriculum(curriculum(mod('VRD-A', { required: false }), mod('VRD-B', { required: false })))).toEqual([
      { field: 'modules', code: CurriculumRule.requiredModule, message: expect.any(String) },
    ]);
    expect(validateCurriculum(curriculum()).map((p) => p.code)).toEqual([CurriculumRule.requiredModule]);
  });

  it.each([[1], [2.5], [200]])('accepts a duration of %p hours', (durationHours) => {
    expect(validateCurriculum(curriculum(mod('VRD-A', { durationHours })))).toEqual([]);
  });

  it.each([[0], [0.5], [200.5], [-3], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses a duration of %p hours', (durationHours) => {
    expect(validateCurriculum(curriculum(mod('VRD-A', { durationHours })))).toEqual([
      { field: 'modules[0].durationHours', code: CurriculumRule.moduleDuration, message: expect.any(String) },
    ]);
  });

  it.each([[1], [60], [100]])('accepts a pass mark of %p', (passMark) => {
    expect(validateCurriculum(curriculum(mod('VRD-A', { passMark })))).toEqual([]);
  });

  it.each([[0], [101], [59.5], [-1]])('refuses a pass mark of %p', (passMark) => {
    expect(validateCurriculum(curriculum(mod('VRD-A', { passMark })))).toEqual([
      { field: 'modules[0].passMark', code: CurriculumRule.modulePassMark, message: expect.any(String) },
    ]);
  });

  it('reports every problem at once', () => {
    const problems = validateCurriculum(
      curriculum(mod('bad', { required: false, durationHours: 0 }), mod('VRD-A', { required: false, passMark: 0 }), mod('VRD-A', { required: false })),
    );
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['modules[0].code', CurriculumRule.moduleCodeFormat],
      ['modules[0].durationHours', CurriculumRule.moduleDuration],
      ['modules[1].passMark', CurriculumRule.modulePassMark],
      ['modules[2].code', CurriculumRule.moduleCodeUnique],
      ['modules', CurriculumRule.requiredModule],
    ]);
  });
});
