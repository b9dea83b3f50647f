import { gstinCheckCharacter, udyamLettersOfGstState } from '@niryat/india';
import { Random } from './random';

export type Marketplace = 'amazon' | 'flipkart' | 'walmart';
export const MARKETPLACES: readonly Marketplace[] = ['amazon', 'flipkart', 'walmart'];

/** A programme of the simulated world: its own id, so its report rows hold this world's exports only. */
export interface SimProgramme {
  id: string;
  name: string;
  partner: Marketplace;
  marketplaces: Marketplace[];
  allIndia: boolean;
  states: string[];
  startsOn: string;
  milestoneStepUsd: number;
}

export interface SimAccount {
  marketplace: Marketplace;
  accountId: string;
  /** Linked only after its first orders were sent: they are parked meanwhile. */
  linkLate: boolean;
}

export interface SimSeller {
  index: number;
  legalName: string;
  pan: string;
  gstin: string;
  udyamNumber: string;
  stateCode: string;
  district: string;
  pinCode: string;
  hsCode: string;
  product: string;
  /** Registered for these; approved unless `unapproved`. */
  programmes: string[];
  unapproved: boolean;
  /** Enrolled in these programmes from these days (in India). */
  enrolments: { programmeId: string; since: string }[];
  accounts: SimAccount[];
}

export interface World {
  tag: string;
  seed: number;
  programmes: SimProgramme[];
  sellers: SimSeller[];
  /** Orders ship in these days (in India), from and to included. */
  window: { from: string; to: string };
}

interface Cluster {
  stateCode: string;
  district: string;
  pinCode: string;
  hsCode: string;
  product: string;
  weight: number;
}

/** Where MSME exporters are, Uttar Pradesh's ODOP districts first: the state, a PIN of the district, and what it makes. */
const CLUSTERS: readonly Cluster[] = [
  { stateCode: '09', district: 'Moradabad', pinCode: '244001', hsCode: '74198030', product: 'Brass artware', weight: 12 },
  { stateCode: '09', district: 'Bhadohi', pinCode: '221401', hsCode: '57011010', product: 'Hand-knotted carpets', weight: 9 },
  { stateCode: '09', district: 'Agra', pinCode: '282001', hsCode: '64039990', product: 'Leather footwear', weight: 9 },
  { stateCode: '09', district: 'Varanasi', pinCode: '221001', hsCode: '50072010', product: 'Silk sarees', weight: 8 },
  { stateCode: '09', district: 'Saharanpur', pinCode: '247001', hsCode: '44209090', product: 'Wood carving', weight: 6 },
  { stateCode: '09', district: 'Firozabad', pinCode: '283203', hsCode: '70139900', product: 'Glassware', weight: 6 },
  { stateCode: '06', district: 'Panipat', pinCode: '132103', hsCode: '63049190', product: 'Home textiles', weight: 10 },
  { stateCode: '08', district: 'Jaipur', pinCode: '302001', hsCode: '69139000', product: 'Blue pottery', weight: 6 },
  { stateCode: '08', district: 'Jodhpur', pinCode: '342001', hsCode: '44209090', product: 'Wooden furniture and handicrafts', weight: 4 },
  { stateCode: '33', district: 'Tiruppur', pinCode: '641601', hsCode: '61091000', product: 'Cotton knitwear', weight: 10 },
  { stateCode: '32', district: 'Ernakulam', pinCode: '682011', hsCode: '09041130', product: 'Black pepper', weight: 8 },
  { stateCode: '24', district: 'Kachchh', pinCode: '370001', hsCode: '63079090', product: 'Embroidered handicrafts', weight: 6 },
  { stateCode: '27', district: 'Mumbai', pinCode: '400001', hsCode: '42022190', product: 'Leather handbags', weight: 6 },
];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DAY_MS = 86_400_000;
/** The calendar day in India (UTC+05:30) of an instant. */
export const indianDay = (ms: number) => new Date(ms + 330 * 60_000).toISOString().slice(0, 10);
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export interface WorldOptions {
  seed: number;
  /** Distinguishes this world's programmes, identifiers and orders from every other's on the platform. */
  tag: string;
  sellers: number;
  /** Share of marketplace accounts linked only after their first orders were sent. */
  lateLinks: number;
  /** Days of shipments, ending yesterday in India. */
  windowDays: number;
  now: number;
}

/** The world a seed makes: programmes, sellers with valid identifiers, their enrolments and marketplace accounts. */
export function planWorld(options: WorldOptions): World {
  // The world's shape comes from the seed alone (the same seed, the same world under any tag); its
  // identifiers from the seed and the tag, so two worlds never share a PAN or a GSTIN.
  const random = new Random(options.seed).fork('world');
  const ids = new Random(options.seed).fork(`identifiers:${options.tag}`);
  const to = indianDay(options.now - DAY_MS);
  const from = addDays(to, -(options.windowDays - 1));
  const startsOn = addDays(from, -365);
  const id = (suffix: string) => `sim-${options.tag}-${suffix}`;
  const programmes: SimProgramme[] = [
    { id: id('ags'), name: `Amazon Global Selling (simulated ${options.tag})`, partner: 'amazon', marketplaces: ['amazon'], allIndia: true, states: [], startsOn, milestoneStepUsd: 50_000 },
    { id: id('odop'), name: `UP ODOP with Walmart and Flipkart (simulated ${options.tag})`, partner: 'walmart', marketplaces: ['flipkart', 'walmart'], allIndia: false, states: ['09'], startsOn, milestoneStepUsd: 25_000 },
    { id: id('vriddhi'), name: `Walmart Vriddhi (simulated ${options.tag})`, partner: 'walmart', marketplaces: [...MARKETPLACES], allIndia: true, states: [], startsOn, milestoneStepUsd: 25_000 },
  ];
  const [ags, odop, vriddhi] = programmes;
  const tagCode = options.tag.toUpperCase().replace(/[^A-Z0-9]/g, '');

  const sellers = Array.from({ length: options.sellers }, (_, index): SimSeller => {
    const cluster = random.weighted(CLUSTERS.map((c) => [c, c.weight] as const));
    const pan = `${ids.pick([...LETTERS])}${ids.pick([...LETTERS])}${ids.pick([...LETTERS])}C${ids.pick([...LETTERS])}${String(ids.int(1, 9999)).padStart(4, '0')}${ids.pick([...LETTERS])}`;
    const first14 = `${cluster.stateCode}${pan}1Z`;
    const inUp = cluster.stateCode === '09';
    // UP sellers sell through the ODOP MoU (Flipkart or Walmart, some both); others through Amazon; some of each on both.
    const accounts: Marketplace[] = inUp
      ? random.chance(0.25) ? ['flipkart', 'walmart'] : [random.pick(['flipkart', 'walmart'] as const)]
      : ['amazon'];
    if (random.chance(0.3)) accounts.push(inUp ? 'amazon' : random.pick(['flipkart', 'walmart'] as const));
    const registered = new Set<string>();
    if (inUp && random.chance(0.85)) registered.add(odop.id);
    if (accounts.includes('amazon') && random.chance(0.7)) registered.add(ags.id);
    if (random.chance(0.35)) registered.add(vriddhi.id);
    if (registered.size === 0) registered.add(inUp ? odop.id : ags.id);
    const unapproved = random.chance(0.05);
    const enrolments = unapproved
      ? []
      : [...registered]
          .filter(() => random.chance(0.92))
          // Most since the programme began; some part-way through the window, so their earlier exports count in no programme.
          .map((programmeId) => ({ programmeId, since: random.chance(0.75) ? startsOn : addDays(from, random.int(5, Math.max(5, options.windowDays - 5))) }));
    return {
      index,
      legalName: `${cluster.district} ${cluster.product} Exports ${tagCode} ${index + 1} Private Limited`,
      pan,
      gstin: `${first14}${gstinCheckCharacter(first14)}`,
      udyamNumber: `UDYAM-${udyamLettersOfGstState(cluster.stateCode)}-${String(ids.int(1, 75)).padStart(2, '0')}-${String(ids.int(0, 9_999_999)).padStart(7, '0')}`,
      stateCode: cluster.stateCode,
      district: cluster.district,
      pinCode: cluster.pinCode,
      hsCode: cluster.hsCode,
      product: cluster.product,
      programmes: [...registered].sort(),
      unapproved,
      enrolments,
      accounts: unapproved
        ? []
        : accounts.map((marketplace) => ({
            marketplace,
            accountId: `${{ amazon: 'AMZ', flipkart: 'FK', walmart: 'WM' }[marketplace]}-${tagCode}-${String(index + 1).padStart(4, '0')}`,
            linkLate: random.chance(options.lateLinks),
          })),
    };
  });
  return { tag: options.tag, seed: options.seed, programmes, sellers, window: { from, to } };
}
