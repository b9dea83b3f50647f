import type { Marketplace } from '@niryat/contracts';

/** The programme catalogue as attribution needs it: the marketplaces whose exports count in each programme. */
export type ProgrammeMarketplaces = ReadonlyMap<string, readonly Marketplace[]>;

/** What an export says about where it may count. */
export interface AttributableExport {
  /** The marketplace the order came through. */
  partner: Marketplace;
  /** The programmes the seller was enrolled in on the shipment day (exports decides that: `enrolledProgrammesOn`). */
  programmes: readonly string[];
}

export interface Attribution {
  /** The programmes the export counts in, each once, in byte order. */
  programmes: string[];
  /** Programmes the seller was enrolled in that the catalogue does not know (yet): the export is set aside for them. */
  unknown: string[];
}

/**
 * The one rule of where an export counts: in a programme when the seller was enrolled in it on the
 * shipment day (the export's `programmes`) **and** the order came through one of the programme's
 * marketplaces. The all-programme row counts every export once, whatever this says; returns and
 * RTO are attributed as their export was (same payload fields). A programme the catalogue does not
 * hold cannot be decided: it is returned in `unknown`, never silently dropped.
 */
export function attributeExport(exported: AttributableExport, catalogue: ProgrammeMarketplaces): Attribution {
  const programmes: string[] = [];
  const unknown: string[] = [];
  for (const programme of new Set(exported.programmes)) {
    const marketplaces = catalogue.get(programme);
    if (marketplaces === undefined) unknown.push(programme);
    else if (marketplaces.includes(exported.partner)) programmes.push(programme);
  }
  const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { programmes: programmes.sort(byteOrder), unknown: unknown.sort(byteOrder) };
}
