import {
  CertificationAwarded,
  ExportRecorded,
  LearnerEnrolled,
  LearnerWithdrawn,
  SellerApproved,
  SellerEnrolled,
  SellerProfileChanged,
  SellerRegistered,
  SellerWithdrawn,
} from '@niryat/contracts';
import { foldFunnel, FunnelEvent, funnelStages, supersedes } from './funnel.fold';

const SELLER = '6F1C2A57-0C4E-4A41-9D0E-1F2A3B4C5D6E';
const seller = SELLER.toLowerCase();
const P1 = 'walmart-vriddhi';
const P2 = 'flipkart-walmart-odop-up';

/** Every export attributed to each programme its seller is enrolled in (attribution is programme-attribution.spec's). */
const foldEnrolled = (events: FunnelEvent[]) => foldFunnel(events, (exported) => exported.programmes);

const ev = (type: string, payload: object): FunnelEvent => ({ type, payload: { sellerId: SELLER, stateCode: '09', ...payload } });

describe('funnel fold', () => {
  it('sets registered and approved per programme listed, and places the seller authoritatively', () => {
    const fold = foldEnrolled([
      ev(SellerRegistered.type, { programmes: [P1, P2], registeredAt: '2026-09-01T10:00:00Z' }),
      ev(SellerApproved.type, { programmes: [P1], approvedAt: '2026-09-02T10:00:00Z' }),
    ]);
    expect(fold.sellers.get(seller)).toEqual({ sellerId: seller, stateCode: '09', authoritative: true, asOf: '2026-09-02T10:00:00.000Z' });
    expect(fold.programmes.get(`${seller}|${P1}`)).toEqual({
      sellerId: seller,
      programme: P1,
      registered: true,
      approved: true,
      exporting: null,
      enrolled: null,
      enrolledAsOf: null,
    });
    expect(fold.programmes.get(`${seller}|${P2}`)).toEqual(expect.objectContaining({ registered: true, approved: null }));
  });

  it('keeps the latest of enrolment and withdrawal by business time, whatever the order in the batch', () => {
    const enrolled = ev(SellerEnrolled.type, { programmeId: P1, enrolledAt: '2026-09-03T10:00:00Z' });
    const withdrawn = ev(SellerWithdrawn.type, { programmeId: P1, withdrawnAt: '2026-09-04T10:00:00Z' });
    for (const batch of [
      [enrolled, withdrawn],
      [withdrawn, enrolled],
    ]) {
      expect(foldEnrolled(batch).programmes.get(`${seller}|${P1}`)).toEqual(
        expect.objectContaining({ enrolled: false, enrolledAsOf: '2026-09-04T10:00:00.000Z' }),
      );
    }
  });

  it('moves the seller on a profile change, and an export does not override onboarding', () => {
    const fold = foldEnrolled([
      ev(SellerRegistered.type, { programmes: [P1], registeredAt: '2026-09-01T10:00:00Z' }),
      ev(SellerProfileChanged.type, { stateCode: '06', previousStateCode: '09', changedAt: '2026-09-05T10:00:00Z' }),
      ev(ExportRecorded.type, { stateCode: '27', programmes: [P1], recordedAt: '2026-09-06T10:00:00Z' }),
    ]);
    expect(fold.sellers.get(seller)).toEqual(expect.objectContaining({ stateCode: '06', authoritative: true }));
    expect(fold.programmes.get(`${seller}|${P1}`)).toEqual(expect.objectContaining({ registered: true, exporting: true }));
  });

  it('places a seller onboarding has not told about by its export or training event, provisionally', () => {
    const fold = foldEnrolled([
      ev(LearnerEnrolled.type, { stateCode: '27', programmeId: P2, enrolledAt: '2026-09-01T10:00:00Z' }),
      ev(LearnerWithdrawn.type, { stateCode: '27', programmeId: P2, withdrawnAt: '2026-09-02T10:00:00Z' }),
      ev(CertificationAwarded.type, { stateCode: '27', programmeId: P1, awardedAt: '2026-09-03T10:00:00Z' }),
    ]);
    expect(fold.sellers.get(seller)).toEqual(expect.objectContaining({ stateCode: '27', authoritative: false }));
    expect(fold.learners.get(`${seller}|${P2}`)).toEqual(expect.objectContaining({ enrolled: false, certified: null }));
    expect(fold.learners.get(`${seller}|${P1}`)).toEqual(expect.objectContaining({ enrolled: null, certified: true }));
    expect(fold.programmes.size).toBe(0);
  });

  it('ranks onboarding above provisional placements, then later above earlier', () => {
    const auth = { authoritative: true, asOf: '2026-09-01T00:00:00.000Z' };
    const provisional = { authoritative: false, asOf: '2026-10-01T00:00:00.000Z' };
    expect(supersedes(auth, provisional)).toBe(true);
    expect(supersedes(provisional, auth)).toBe(false);
    expect(supersedes({ ...auth, asOf: '2026-08-01T00:00:00.000Z' }, auth)).toBe(false);
    expect(supersedes(auth, auth)).toBe(true);
    expect(supersedes(provisional, undefined)).toBe(true);
  });

  it('makes a seller exporting only in the programmes its export is attributed to', () => {
    const fold = foldFunnel([ev(ExportRecorded.type, { exportId: 'e1', programmes: [P1, P2], recordedAt: '2026-09-06T10:00:00Z' })], () => [P2]);
    expect(fold.programmes.get(`${seller}|${P2}`)).toEqual(expect.objectContaining({ exporting: true }));
    expect(fold.programmes.has(`${seller}|${P1}`)).toBe(false);
  });

  it('ignores a type it does not count', () => {
    const fold = foldEnrolled([ev('niryat.onboarding.seller.review-started.v1', { startedAt: '2026-09-01T10:00:00Z' })]);
    expect(fold.sellers.size).toBe(0);
  });

  it('makes each funnel stage imply the ones before it, for every combination of facts', () => {
    for (let bits = 0; bits < 16; bits += 1) {
      const flags = { registered: (bits & 1) > 0, approved: (bits & 2) > 0, enrolled: (bits & 4) > 0, exporting: (bits & 8) > 0 };
      const stages = funnelStages(flags);
      const order = [stages.registered, stages.approved, stages.enrolled, stages.exporting];
      // Once a stage is false, every later one is: the counts can only narrow.
      expect({ flags, order }).toEqual({ flags, order: [...order].sort((a, b) => Number(b) - Number(a)) });
      // Nothing is invented: a stage is reached only by its own fact or a later one.
      expect(stages.exporting).toBe(flags.exporting);
      expect(stages.registered).toBe(flags.registered || flags.approved || flags.enrolled || flags.exporting);
    }
  });
});
