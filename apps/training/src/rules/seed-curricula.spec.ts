import { PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { validateCurriculum } from './curriculum';
import { ODOP_UP_CURRICULUM, SEED_CURRICULA, VRIDDHI_CURRICULUM } from './seed-curricula';

describe('seed curricula', () => {
  it.each(SEED_CURRICULA.map((c) => [c.id, c] as const))('%s is valid', (_id, curriculum) => {
    expect(validateCurriculum(curriculum)).toEqual([]);
    expect(curriculum.programmeId).toMatch(PROGRAMME_ID_PATTERN);
  });

  it('has one curriculum per seeded training programme, with distinct ids', () => {
    expect(SEED_CURRICULA.map((c) => [c.id, c.programmeId])).toEqual([
      ['vriddhi-2026', 'walmart-vriddhi'],
      ['odop-up-2026', 'flipkart-walmart-odop-up'],
    ]);
  });

  it('gives Vriddhi 6 to 8 modules, most but not all required, some assessed, packaging among the required', () => {
    const modules = VRIDDHI_CURRICULUM.modules;
    expect(modules.length).toBeGreaterThanOrEqual(6);
    expect(modules.length).toBeLessThanOrEqual(8);
    const required = modules.filter((m) => m.required);
    expect(required.length).toBeGreaterThan(modules.length / 2);
    expect(required.length).toBeLessThan(modules.length);
    expect(modules.some((m) => m.passMark !== undefined)).toBe(true);
    expect(modules.some((m) => m.passMark === undefined)).toBe(true);
    expect(modules.find((m) => m.code === 'VRD-PACK')).toMatchObject({ required: true, passMark: 60 });
    expect(modules.every((m) => m.code.startsWith('VRD-'))).toBe(true);
  });

  it('gives ODOP-UP 4 or 5 modules, including selling abroad', () => {
    const modules = ODOP_UP_CURRICULUM.modules;
    expect(modules.length).toBeGreaterThanOrEqual(4);
    expect(modules.length).toBeLessThanOrEqual(5);
    expect(modules.find((m) => m.code === 'ODOP-EXPORT')?.required).toBe(true);
  });
});
