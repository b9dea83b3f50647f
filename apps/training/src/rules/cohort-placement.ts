import { areNeighbours } from './institutes';

/** A cohort as placement sees it: where and when, and how full. */
export interface CohortSlot {
  cohortId: string;
  programmeId: string;
  instituteId: string;
  /** The institute's GST state code; undefined for an online cohort. */
  stateCode?: string;
  /** Calendar dates in India, `YYYY-MM-DD`. */
  startsOn: string;
  endsOn: string;
  capacity: number;
  enrolled: number;
  waitlisted: number;
}

export interface PlacementRequest {
  /** The learner's GST state code. */
  sellerState: string;
  programmeId: string;
  cohorts: readonly CohortSlot[];
  /** Today's date in India (Asia/Kolkata), `YYYY-MM-DD`, not the UTC date. */
  today: string;
}

export type Placement = { kind: 'enrol'; cohortId: string } | { kind: 'waitlist'; cohortId: string; position: number } | { kind: 'none' };

/** Nearest first; the order is the placement rule, see `placeLearner`. */
export type PlacementTier = 'same-state' | 'neighbouring-state' | 'online' | 'other-state';
const TIER_ORDER: readonly PlacementTier[] = ['same-state', 'neighbouring-state', 'online', 'other-state'];

export interface RankedCohort {
  cohort: CohortSlot;
  tier: PlacementTier;
}

export function tierOf(sellerState: string, cohort: Pick<CohortSlot, 'stateCode'>): PlacementTier {
  if (cohort.stateCode === undefined) return 'online';
  if (cohort.stateCode === sellerState) return 'same-state';
  if (areNeighbours(sellerState, cohort.stateCode)) return 'neighbouring-state';
  return 'other-state';
}

/**
 * The cohorts a learner could join, best first: those of the programme that start after today, by
 * tier, then by start date, then by cohort id so that equal candidates always rank the same way.
 *
 * A cohort that starts today has started: placement runs on events, hours after the morning's first
 * session may already be over, and an in-person cohort in another district cannot be reached the same
 * day. Dates are compared as `YYYY-MM-DD` text, which orders like the dates themselves.
 */
export function rankCohorts({ sellerState, programmeId, cohorts, today }: PlacementRequest): RankedCohort[] {
  return cohorts
    .filter((c) => c.programmeId === programmeId && c.startsOn > today)
    .map((cohort) => ({ cohort, tier: tierOf(sellerState, cohort) }))
    .sort(
      (a, b) =>
        TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier) ||
        compareText(a.cohort.startsOn, b.cohort.startsOn) ||
        compareText(a.cohort.cohortId, b.cohort.cohortId),
    );
}

/**
 * Where a learner goes: the best-ranked cohort with a free seat; when every one is full, the waiting
 * list of the best-ranked cohort, behind those already on it; nothing when the programme has no
 * cohort yet to start.
 *
 * Why this order. Vriddhi's model is in-person training at institutes near manufacturing clusters,
 * so the nearest classroom comes first: the learner's own state, with the shortest travel, and where
 * the state's MSME department (the programme's partner in its state MoUs) and state schemes apply.
 * A bordering state next: Panipat is a short drive from Delhi and from Shamli across the Yamuna in
 * Uttar Pradesh; Agra is an hour from Bharatpur in Rajasthan. Online before any farther state: an
 * owner cannot leave a small business for days to sit a cohort across the country, and the online
 * institute teaches the same modules. A far state last, still better than no training. Within a
 * tier the earliest start wins: the sooner trained, the sooner exporting. A learner with no free
 * seat anywhere waits for the best-ranked cohort, the one they would have got had a seat been free.
 */
export function placeLearner(request: PlacementRequest): Placement {
  const ranked = rankCohorts(request);
  const withRoom = ranked.find(({ cohort }) => cohort.enrolled < cohort.capacity);
  if (withRoom) return { kind: 'enrol', cohortId: withRoom.cohort.cohortId };
  const best = ranked[0];
  if (best) return { kind: 'waitlist', cohortId: best.cohort.cohortId, position: best.cohort.waitlisted + 1 };
  return { kind: 'none' };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
