import { CohortSlot, placeLearner, rankCohorts, tierOf } from './cohort-placement';

const today = '2026-03-10';

function cohort(cohortId: string, stateCode: string | undefined, startsOn: string, extra: Partial<CohortSlot> = {}): CohortSlot {
  return {
    cohortId,
    programmeId: 'walmart-vriddhi',
    instituteId: stateCode === '06' ? 'panipat' : stateCode === '09' ? 'agra' : stateCode === undefined ? 'online' : `institute-${stateCode}`,
    stateCode,
    startsOn,
    endsOn: '2026-06-30',
    capacity: 30,
    enrolled: 0,
    waitlisted: 0,
    ...extra,
  };
}
const full = { enrolled: 30 };

// A seller from Haryana (06): Agra (09, UP) is a neighbour, Tamil Nadu (33) is far.
const place = (cohorts: CohortSlot[], sellerState = '06') => placeLearner({ sellerState, programmeId: 'walmart-vriddhi', cohorts, today });

describe('cohort placement', () => {
  it('enrols in the own state first, even when another tier starts sooner', () => {
    const cohorts = [
      cohort('online-apr', undefined, '2026-04-01'),
      cohort('agra-apr', '09', '2026-04-01'),
      cohort('tn-apr', '33', '2026-04-01'),
      cohort('panipat-jun', '06', '2026-06-01'),
    ];
    expect(place(cohorts)).toEqual({ kind: 'enrol', cohortId: 'panipat-jun' });
  });

  it('goes to a neighbouring state when the own state is full', () => {
    const cohorts = [cohort('panipat-apr', '06', '2026-04-01', full), cohort('online-apr', undefined, '2026-04-01'), cohort('agra-may', '09', '2026-05-01')];
    expect(place(cohorts)).toEqual({ kind: 'enrol', cohortId: 'agra-may' });
  });

  it('goes online when own and neighbouring states are full, before a far state', () => {
    const cohorts = [
      cohort('tn-apr', '33', '2026-04-01'),
      cohort('panipat-apr', '06', '2026-04-01', full),
      cohort('agra-apr', '09', '2026-04-01', full),
      cohort('online-may', undefined, '2026-05-01'),
    ];
    expect(place(cohorts)).toEqual({ kind: 'enrol', cohortId: 'online-may' });
  });

  it('goes to a far state when nothing nearer or online has room', () => {
    const cohorts = [cohort('panipat-apr', '06', '2026-04-01', full), cohort('online-apr', undefined, '2026-04-01', full), cohort('tn-apr', '33', '2026-04-01')];
    expect(place(cohorts)).toEqual({ kind: 'enrol', cohortId: 'tn-apr' });
  });

  it('takes the earliest start within a tier, whatever the input order', () => {
    const cohorts = [cohort('agra-jun', '09', '2026-06-01'), cohort('agra-apr', '09', '2026-04-01'), cohort('agra-may', '09', '2026-05-01')];
    expect(place(cohorts, '09')).toEqual({ kind: 'enrol', cohortId: 'agra-apr' });
    expect(place([...cohorts].reverse(), '09')).toEqual({ kind: 'enrol', cohortId: 'agra-apr' });
  });

  it('breaks a tie of start dates by cohort id, so the answer never depends on input order', () => {
    const a = cohort('a', '09', '2026-04-01');
    const b = cohort('b', '09', '2026-04-01');
    expect(place([b, a], '09')).toEqual({ kind: 'enrol', cohortId: 'a' });
    expect(place([a, b], '09')).toEqual({ kind: 'enrol', cohortId: 'a' });
  });

  it('waitlists on the best-ranked cohort when all are full, behind those already waiting', () => {
    const cohorts = [
      cohort('online-apr', undefined, '2026-04-01', { ...full, waitlisted: 0 }),
      cohort('panipat-may', '06', '2026-05-01', { ...full, waitlisted: 4 }),
      cohort('panipat-apr', '06', '2026-04-01', { ...full, waitlisted: 7 }),
    ];
    expect(place(cohorts)).toEqual({ kind: 'waitlist', cohortId: 'panipat-apr', position: 8 });
  });

  it('counts a cohort over capacity as full', () => {
    expect(place([cohort('panipat-apr', '06', '2026-04-01', { capacity: 20, enrolled: 21, waitlisted: 0 })])).toEqual({
      kind: 'waitlist',
      cohortId: 'panipat-apr',
      position: 1,
    });
  });

  it('skips cohorts that have started, including one starting today', () => {
    const cohorts = [cohort('panipat-started', '06', '2026-03-01'), cohort('panipat-today', '06', today), cohort('agra-tomorrow', '09', '2026-03-11')];
    expect(place(cohorts)).toEqual({ kind: 'enrol', cohortId: 'agra-tomorrow' });
    expect(place(cohorts.slice(0, 2))).toEqual({ kind: 'none' });
  });

  it('ignores cohorts of other programmes, even with room in the own state', () => {
    const cohorts = [cohort('odop-agra', '09', '2026-04-01', { programmeId: 'flipkart-walmart-odop-up' }), cohort('vrd-online', undefined, '2026-05-01')];
    expect(place(cohorts, '09')).toEqual({ kind: 'enrol', cohortId: 'vrd-online' });
    expect(place(cohorts.slice(0, 1), '09')).toEqual({ kind: 'none' });
  });

  it('places nowhere when there are no cohorts', () => {
    expect(place([])).toEqual({ kind: 'none' });
  });

  it('ranks by tier, then start, and names the tiers', () => {
    const ranked = rankCohorts({
      sellerState: '09',
      programmeId: 'walmart-vriddhi',
      today,
      cohorts: [cohort('tn', '33', '2026-04-01'), cohort('online', undefined, '2026-04-01'), cohort('panipat', '06', '2026-04-01'), cohort('agra', '09', '2026-09-01')],
    });
    expect(ranked.map((r) => [r.cohort.cohortId, r.tier])).toEqual([
      ['agra', 'same-state'],
      ['panipat', 'neighbouring-state'],
      ['online', 'online'],
      ['tn', 'other-state'],
    ]);
  });

  it('tells tiers apart', () => {
    expect(tierOf('06', { stateCode: '06' })).toBe('same-state');
    expect(tierOf('06', { stateCode: '07' })).toBe('neighbouring-state');
    expect(tierOf('06', {})).toBe('online');
    expect(tierOf('06', { stateCode: '10' })).toBe('other-state');
  });
});
