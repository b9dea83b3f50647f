import {
  CertificationAwarded,
  CertificationAwardedV1,
  ExportRecorded,
  ExportRecordedV1,
  LearnerEnrolled,
  LearnerEnrolledV1,
  LearnerWithdrawn,
  LearnerWithdrawnV1,
  SellerApproved,
  SellerApprovedV1,
  SellerEnrolled,
  SellerEnrolledV1,
  SellerProfileChanged,
  SellerProfileChangedV1,
  SellerRegistered,
  SellerRegisteredV1,
  SellerReinstated,
  SellerReinstatedV1,
  SellerRejected,
  SellerRejectedV1,
  SellerSuspended,
  SellerSuspendedV1,
  SellerWithdrawn,
  SellerWithdrawnV1,
} from '@niryat/contracts';

/** An event the funnel and training views apply, by its CloudEvents type. */
export interface FunnelEvent {
  type: string;
  payload: object;
}

/**
 * Where a seller is counted. Onboarding's seller events are authoritative; an export or training
 * event only places a seller onboarding has not told us about yet (provisional). Between two
 * states of the same rank the later business time wins (ties: the later in the stream).
 */
export interface SellerState {
  sellerId: string;
  stateCode: string;
  authoritative: boolean;
  /** ISO timestamp of the event that said so. */
  asOf: string;
}

/**
 * Per seller × programme flag changes of a batch; `null` = the batch says nothing about the flag.
 * registered / approved / exporting only ever become true (facts that happened); enrolled is the
 * latest of SellerEnrolled / SellerWithdrawn, by business time.
 */
export interface SellerProgrammeDelta {
  sellerId: string;
  programme: string;
  registered: true | null;
  approved: true | null;
  exporting: true | null;
  enrolled: boolean | null;
  enrolledAsOf: string | null;
}

/** What the facts kept per seller × programme say happened (funnel_seller_programmes). */
export interface FunnelFlags {
  registered: boolean;
  approved: boolean;
  enrolled: boolean;
  exporting: boolean;
}

/**
 * The funnel's stages, each defined once and each implying the ones before it, so the counts
 * narrow (registered ≥ approved ≥ enrolled ≥ exporting) whatever events arrived:
 *
 * - exporting: at least one export attributed to the programme (enrolled on the shipment day and
 *   sold through one of its marketplaces);
 * - enrolled: enrolled in the programme now, or exporting in it (an exporting seller was enrolled);
 * - approved: approved while applying for the programme, or enrolled or exporting in it;
 * - registered: applied for the programme at registration, or at any later stage in it.
 *
 * The view seller_funnel (migration FunnelThatNarrows) counts exactly these.
 */
export function funnelStages(flags: FunnelFlags): FunnelFlags {
  const exporting = flags.exporting;
  const enrolled = flags.enrolled || exporting;
  const approved = flags.approved || enrolled;
  const registered = flags.registered || approved;
  return { registered, approved, enrolled, exporting };
}

/** Per seller × programme training flag changes: enrolled is the latest of LearnerEnrolled / LearnerWithdrawn; certified only becomes true. */
export interface LearnerDelta {
  sellerId: string;
  programme: string;
  enrolled: boolean | null;
  enrolledAsOf: string | null;
  certified: true | null;
}

export interface FunnelFold {
  sellers: Map<string, SellerState>;
  programmes: Map<string, SellerProgrammeDelta>;
  learners: Map<string, LearnerDelta>;
}

/** Lower case, as Postgres returns a uuid. */
export const sellerOf = (payload: { sellerId: string }) => payload.sellerId.toLowerCase();
/** A canonical ISO timestamp, so timestamps compare as strings and as timestamptz alike. */
const iso = (timestamp: string) => new Date(timestamp).toISOString();

/** True when `next` should replace `current` (higher rank, or same rank and not earlier). */
export function supersedes(next: Pick<SellerState, 'authoritative' | 'asOf'>, current: Pick<SellerState, 'authoritative' | 'asOf'> | undefined): boolean {
  if (!current) return true;
  if (next.authoritative !== current.authoritative) return next.authoritative;
  return next.asOf >= current.asOf;
}

/**
 * Folds a batch (in stream order; one seller's events on one topic stay in order) into one delta
 * per row to touch, as a multi-row upsert cannot touch a row twice. Every flag is independent of
 * the others, so events of one seller on different topics may arrive in any order; flags that can
 * go back (enrolled) carry the business time of their last change, so the database keeps the
 * latest whichever arrives last. Events applied twice change nothing (the inbox drops redelivered
 * records anyway). An export makes its seller exporting in the programmes `exportingIn` gives: the
 * ones it is attributed to (`attributeExport`), not every programme the seller is enrolled in.
 */
export function foldFunnel(events: readonly FunnelEvent[], exportingIn: (exported: ExportRecordedV1) => readonly string[]): FunnelFold {
  const fold: FunnelFold = { sellers: new Map(), programmes: new Map(), learners: new Map() };

  const place = (payload: { sellerId: string; stateCode: string }, authoritative: boolean, at: string) => {
    const next: SellerState = { sellerId: sellerOf(payload), stateCode: payload.stateCode, authoritative, asOf: iso(at) };
    if (supersedes(next, fold.sellers.get(next.sellerId))) fold.sellers.set(next.sellerId, next);
  };
  const programme = (sellerId: string, programmeId: string): SellerProgrammeDelta => {
    const key = `${sellerId}|${programmeId}`;
    let delta = fold.programmes.get(key);
    if (!delta) {
      delta = { sellerId, programme: programmeId, registered: null, approved: null, exporting: null, enrolled: null, enrolledAsOf: null };
      fold.programmes.set(key, delta);
    }
    return delta;
  };
  const learner = (sellerId: string, programmeId: string): LearnerDelta => {
    const key = `${sellerId}|${programmeId}`;
    let delta = fold.learners.get(key);
    if (!delta) {
      delta = { sellerId, programme: programmeId, enrolled: null, enrolledAsOf: null, certified: null };
      fold.learners.set(key, delta);
    }
    return delta;
  };
  const setEnrolled = (delta: { enrolled: boolean | null; enrolledAsOf: string | null }, enrolled: boolean, at: string) => {
    const asOf = iso(at);
    if (delta.enrolledAsOf === null || asOf >= delta.enrolledAsOf) {
      delta.enrolled = enrolled;
      delta.enrolledAsOf = asOf;
    }
  };

  for (const { type, payload } of events) {
    switch (type) {
      case SellerRegistered.type: {
        const p = payload as SellerRegisteredV1;
        place(p, true, p.registeredAt);
        for (const id of new Set(p.programmes)) programme(sellerOf(p), id).registered = true;
        break;
      }
      case SellerApproved.type: {
        const p = payload as SellerApprovedV1;
        place(p, true, p.approvedAt);
        for (const id of new Set(p.programmes)) programme(sellerOf(p), id).approved = true;
        break;
      }
      case SellerRejected.type: {
        const p = payload as SellerRejectedV1;
        place(p, true, p.rejectedAt);
        break;
      }
      case SellerSuspended.type: {
        const p = payload as SellerSuspendedV1;
        place(p, true, p.suspendedAt);
        break;
      }
      case SellerReinstated.type: {
        const p = payload as SellerReinstatedV1;
        place(p, true, p.reinstatedAt);
        break;
      }
      case SellerProfileChanged.type: {
        const p = payload as SellerProfileChangedV1;
        place(p, true, p.changedAt);
        break;
      }
      case SellerEnrolled.type: {
        const p = payload as SellerEnrolledV1;
        place(p, true, p.enrolledAt);
        setEnrolled(programme(sellerOf(p), p.programmeId), true, p.enrolledAt);
        break;
      }
      case SellerWithdrawn.type: {
        const p = payload as SellerWithdrawnV1;
        place(p, true, p.withdrawnAt);
        setEnrolled(programme(sellerOf(p), p.programmeId), false, p.withdrawnAt);
        break;
      }
      case ExportRecorded.type: {
        const p = payload as ExportRecordedV1;
        place(p, false, p.recordedAt);
        for (const id of new Set(exportingIn(p))) programme(sellerOf(p), id).exporting = true;
        break;
      }
      case LearnerEnrolled.type: {
        const p = payload as LearnerEnrolledV1;
        place(p, false, p.enrolledAt);
        setEnrolled(learner(sellerOf(p), p.programmeId), true, p.enrolledAt);
        break;
      }
      case LearnerWithdrawn.type: {
        const p = payload as LearnerWithdrawnV1;
        place(p, false, p.withdrawnAt);
        setEnrolled(learner(sellerOf(p), p.programmeId), false, p.withdrawnAt);
        break;
      }
      case CertificationAwarded.type: {
        const p = payload as CertificationAwardedV1;
        place(p, false, p.awardedAt);
        learner(sellerOf(p), p.programmeId).certified = true;
        break;
      }
      default:
        // A type the consumer does not subscribe to: nothing to count.
        break;
    }
  }
  return fold;
}
