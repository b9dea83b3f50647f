import { World } from './world';

/** A seller funnel row as the API and the topic give it: sellers of a programme in a state, at each stage. */
export interface FunnelRow {
  programme: string;
  stateCode: string;
  registered: number;
  approved: number;
  enrolled: number;
  exporting: number;
}

export const FUNNEL_STAGES = ['registered', 'approved', 'enrolled', 'exporting'] as const;

export const funnelKey = (r: { programme: string; stateCode: string }) => `${r.programme}|${r.stateCode}`;

/**
 * The funnel of the world's programmes, from what the simulator did to each seller: registered for
 * the programmes it applied for; approved in them unless left unreviewed; enrolled where it enrolled
 * (never withdrawn); exporting where at least one export counted (`exportingIn`, from the truth of
 * the stream). A later stage implies the earlier ones: the report's stages narrow, whatever order
 * the events came in. Sellers never move in this world, so each counts in the state it registered in.
 */
export function funnelRows(world: World, exportingIn: (programme: string) => ReadonlySet<number>): FunnelRow[] {
  const rows = new Map<string, FunnelRow>();
  for (const programme of world.programmes) {
    const exporters = exportingIn(programme.id);
    for (const seller of world.sellers) {
      const exporting = exporters.has(seller.index);
      const enrolled = exporting || seller.enrolments.some((e) => e.programmeId === programme.id);
      const approved = enrolled || (!seller.unapproved && seller.programmes.includes(programme.id));
      const registered = approved || seller.programmes.includes(programme.id);
      if (!registered) continue;
      const key = funnelKey({ programme: programme.id, stateCode: seller.stateCode });
      const row = rows.get(key) ?? { programme: programme.id, stateCode: seller.stateCode, registered: 0, approved: 0, enrolled: 0, exporting: 0 };
      row.registered += 1;
      row.approved += approved ? 1 : 0;
      row.enrolled += enrolled ? 1 : 0;
      row.exporting += exporting ? 1 : 0;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => (funnelKey(a) < funnelKey(b) ? -1 : funnelKey(a) > funnelKey(b) ? 1 : 0));
}
