import { enrolledProgrammesOn, EnrolmentPeriod, SINCE_ALWAYS, withEnrolment, withWithdrawal } from './enrolment-periods';

const AGS = 'amazon-global-selling';
const ODOP = 'flipkart-walmart-odop-up';

describe('enrolment periods: the programmes an export counts in are those of its shipment day', () => {
  const enrolledOn10 = withEnrolment([], AGS, '2026-03-10');

  it('counts from the day of the enrolment, not the day before', () => {
    expect(enrolledProgrammesOn(enrolledOn10, '2026-03-09')).toEqual([]);
    expect(enrolledProgrammesOn(enrolledOn10, '2026-03-10')).toEqual([AGS]);
    expect(enrolledProgrammesOn(enrolledOn10, '2027-01-01')).toEqual([AGS]);
  });

  it('stops on the day of the withdrawal, and keeps the days before it', () => {
    const withdrawn = withWithdrawal(enrolledOn10, AGS, '2026-04-01');
    expect(enrolledProgrammesOn(withdrawn, '2026-03-31')).toEqual([AGS]);
    expect(enrolledProgrammesOn(withdrawn, '2026-04-01')).toEqual([]);
  });

  it('keeps each period of a seller who withdraws and enrols again, and nothing between them', () => {
    let periods: EnrolmentPeriod[] = withWithdrawal(enrolledOn10, AGS, '2026-04-01');
    periods = withEnrolment(periods, AGS, '2026-06-01');
    expect(['2026-03-15', '2026-05-15', '2026-06-01'].map((day) => enrolledProgrammesOn(periods, day))).toEqual([[AGS], [], [AGS]]);
  });

  it('tells programmes apart, lists each once, and ignores a second enrolment while enrolled', () => {
    let periods = withEnrolment(enrolledOn10, ODOP, '2026-03-20');
    periods = withEnrolment(periods, AGS, '2026-03-25');
    expect(periods).toHaveLength(2);
    expect(enrolledProgrammesOn(periods, '2026-03-15')).toEqual([AGS]);
    expect(enrolledProgrammesOn(periods, '2026-03-20')).toEqual([AGS, ODOP]);
  });

  it('leaves nothing of an enrolment withdrawn the same day, and a withdrawal without an enrolment changes nothing', () => {
    expect(withWithdrawal(withEnrolment([], AGS, '2026-03-10'), AGS, '2026-03-10')).toEqual([]);
    expect(withWithdrawal(enrolledOn10, ODOP, '2026-03-12')).toEqual(enrolledOn10);
  });

  it('starts a backdated enrolment where the previous period ended, never inside it', () => {
    const periods = withEnrolment(withWithdrawal(enrolledOn10, AGS, '2026-04-01'), AGS, '2026-02-01');
    expect(periods.map((p) => [p.from, p.until])).toEqual([
      ['2026-03-10', '2026-04-01'],
      ['2026-04-01', null],
    ]);
  });

  it('reads an enrolment kept before periods were as enrolled since always', () => {
    expect(enrolledProgrammesOn([{ programmeId: AGS, from: SINCE_ALWAYS, until: null }], '2015-05-01')).toEqual([AGS]);
  });
});
