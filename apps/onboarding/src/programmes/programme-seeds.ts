import { DefineProgrammeDto } from './programme.dto';

/**
 * The three programmes of the seed articles, with their published targets. Defined at boot when
 * missing (through the same path as an operator's request, so each emits ProgrammeDefined once).
 */
export const SEED_PROGRAMMES: readonly DefineProgrammeDto[] = [
  {
    // Amazon India, July 2020: three years to the first USD 1 bn of cumulative exports, under 18 months
    // to the second; pledge of USD 10 bn cumulative exports by 2025. Launched in India in May 2015.
    id: 'amazon-global-selling',
    name: 'Amazon Global Selling',
    partner: 'amazon',
    // Exports sold through Amazon: "USD 2 bn through Global Selling" counts Amazon's orders only.
    marketplaces: ['amazon'],
    kind: 'export',
    allIndia: true,
    states: [],
    startsOn: '2015-05-01',
    exportTargetUsd: 10_000_000_000,
    exportTargetBasis: 'cumulative',
    exportTargetDeadline: '2025-12-31',
    milestoneStepUsd: 1_000_000_000,
  },
  {
    // Walmart/Flipkart MoU with the Export Promotion Bureau of Uttar Pradesh (January 2022), under ODOP;
    // Walmart aims to triple exports from India to USD 10 bn a year by 2027.
    id: 'flipkart-walmart-odop-up',
    name: 'Walmart-Flipkart ODOP with the Export Promotion Bureau of Uttar Pradesh',
    partner: 'flipkart',
    // The MoU is Walmart's and Flipkart's: exports through either count.
    marketplaces: ['flipkart', 'walmart'],
    kind: 'both',
    allIndia: false,
    states: ['09'],
    startsOn: '2022-01-06',
    exportTargetUsd: 10_000_000_000,
    exportTargetBasis: 'annual',
    exportTargetDeadline: '2027-12-31',
    milestoneStepUsd: 1_000_000_000,
  },
  {
    // Walmart Vriddhi Supplier Development Programme, launched 2019: train 50,000 MSMEs through
    // seminars, workshops and e-institutes (Panipat, Agra).
    id: 'walmart-vriddhi',
    name: 'Walmart Vriddhi Supplier Development Programme',
    partner: 'walmart',
    // A training programme: its impact view compares what trained and untrained sellers export on
    // every marketplace, so every marketplace counts.
    marketplaces: ['amazon', 'flipkart', 'walmart'],
    kind: 'training',
    allIndia: true,
    states: [],
    startsOn: '2019-09-01',
    trainingTargetMsmes: 50_000,
  },
] as DefineProgrammeDto[];
