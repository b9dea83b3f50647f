import { Curriculum } from './curriculum';

/**
 * Walmart Vriddhi (launched December 2019): free, blended training with
 * e-institutes in Panipat and Agra, online modules with assessments and one-to-one advisory
 * sessions. Graduating needs the core modules; the rest are taken at the learner's discretion. The
 * content follows what Vriddhi and its state MoUs describe (business growth, digital channels,
 * export channels, manufacturing practice) and what sellers on the platform need to ship abroad.
 * Packaging gets an assessed in-person module of its own: the seed article names packaging quality
 * as the weakness of the MSMEs Vriddhi trains.
 */
export const VRIDDHI_CURRICULUM: Curriculum = {
  id: 'vriddhi-2026',
  programmeId: 'walmart-vriddhi',
  title: 'Walmart Vriddhi supplier development, 2026 edition',
  modules: [
    {
      code: 'VRD-DIGCAT',
      title: 'Digital catalogues and e-commerce listings: product photographs, titles, attributes, pricing',
      mode: 'online',
      durationHours: 6,
      required: true,
      passMark: 60,
    },
    {
      code: 'VRD-EXPDOC',
      title: 'Export documentation and compliance: IEC, shipping bill, LUT and GST refunds, RoDTEP',
      mode: 'blended',
      durationHours: 8,
      required: true,
      passMark: 60,
    },
    {
      code: 'VRD-PACK',
      title: 'Packaging for export: protective packing, drop and moisture tests, labelling and marking',
      mode: 'in-person',
      durationHours: 6,
      required: true,
      passMark: 60,
    },
    {
      code: 'VRD-LOGIS',
      title: 'Logistics and cross-border shipping: Incoterms, freight and courier exports, customs clearance',
      mode: 'blended',
      durationHours: 4,
      required: true,
    },
    {
      code: 'VRD-FIN',
      title: 'Export finance and working capital: pre- and post-shipment credit, PCFC, ECGC cover, costing',
      mode: 'online',
      durationHours: 4,
      required: true,
      passMark: 60,
    },
    {
      code: 'VRD-QUAL',
      title: 'Quality and certification: manufacturing best practice, ISO 9001, BIS, buyer audits',
      mode: 'in-person',
      durationHours: 5,
      required: true,
    },
    {
      code: 'VRD-BRAND',
      title: 'Marketing and brand building for domestic and overseas buyers',
      mode: 'online',
      durationHours: 3,
      required: false,
    },
    {
      code: 'VRD-MKTPL',
      title: 'Marketplace and GeM onboarding: Flipkart, Walmart Marketplace, Government e-Marketplace',
      mode: 'online',
      durationHours: 2,
      required: false,
    },
  ],
};

/**
 * The Walmart-Flipkart ODOP programme with UP's Export Promotion Bureau is export and training at
 * once: it digitises One District One Product artisans and weavers (Moradabad brass, Agra leather,
 * Bhadohi carpets, …) so they sell online at home and then abroad. Taught close to the clusters,
 * mostly in person, for learners new to selling online.
 */
export const ODOP_UP_CURRICULUM: Curriculum = {
  id: 'odop-up-2026',
  programmeId: 'flipkart-walmart-odop-up',
  title: 'Digitisation for Uttar Pradesh ODOP artisans, 2026 edition',
  modules: [
    {
      code: 'ODOP-SELLER',
      title: 'Opening a marketplace seller account: GSTIN, bank and KYC, the seller dashboard',
      mode: 'in-person',
      durationHours: 3,
      required: true,
    },
    {
      code: 'ODOP-CATLG',
      title: 'Cataloguing ODOP products: phone photography, listings, describing the craft and its district',
      mode: 'blended',
      durationHours: 4,
      required: true,
      passMark: 60,
    },
    {
      code: 'ODOP-PACK',
      title: 'Packing and dispatching e-commerce orders without breakage or returns',
      mode: 'in-person',
      durationHours: 3,
      required: true,
    },
    {
      code: 'ODOP-EXPORT',
      title: 'Selling abroad: IEC, e-commerce exports, Dak Ghar Niryat Kendras, export incentives',
      mode: 'blended',
      durationHours: 4,
      required: true,
      passMark: 60,
    },
    {
      code: 'ODOP-PAYMT',
      title: 'Payments, returns and account health',
      mode: 'online',
      durationHours: 2,
      required: false,
    },
  ],
};

export const SEED_CURRICULA: readonly Curriculum[] = [VRIDDHI_CURRICULUM, ODOP_UP_CURRICULUM];
