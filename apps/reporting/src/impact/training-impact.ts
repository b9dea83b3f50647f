import { EntityManager } from 'typeorm';

export interface TrainingImpactRow {
  programme: string;
  /** Certified in this programme (by training), or not yet. */
  certified: boolean;
  /** Participants: enrolled in the programme now, trained in it, or exported under it. */
  sellers: number;
  exportingSellers: number;
  orders: number;
  /** Net export value (returns deducted), integer minor units as strings. */
  valueUsdMinor: string;
  valueInrMinor: string;
  /** valueUsdMinor / sellers, rounded to the nearest cent (half away from zero). */
  valuePerSellerUsdMinor: string;
}

/**
 * Export value per seller, certified versus not yet certified, per programme: the view
 * training_impact over the funnel's participation and certification facts and each seller's net
 * exports per programme. Ordered by programme (byte order), not certified first.
 */
export async function readTrainingImpact(manager: EntityManager, programme?: string): Promise<TrainingImpactRow[]> {
  const rows: {
    programme: string;
    certified: boolean;
    sellers: number;
    exporting_sellers: number;
    orders: number;
    value_usd_minor: string;
    value_inr_minor: string;
    value_per_seller_usd_minor: string;
  }[] = await manager.query(
    `SELECT programme, certified, sellers, exporting_sellers, orders, value_usd_minor::text, value_inr_minor::text,
            round(value_usd_minor::numeric / sellers)::bigint::text AS value_per_seller_usd_minor
       FROM training_impact WHERE ($1::text IS NULL OR programme = $1)
      ORDER BY programme COLLATE "C", certified`,
    [programme ?? null],
  );
  return rows.map((r) => ({
    programme: r.programme,
    certified: r.certified,
    sellers: r.sellers,
    exportingSellers: r.exporting_sellers,
    orders: r.orders,
    valueUsdMinor: r.value_usd_minor,
    valueInrMinor: r.value_inr_minor,
    valuePerSellerUsdMinor: r.value_per_seller_usd_minor,
  }));
}
