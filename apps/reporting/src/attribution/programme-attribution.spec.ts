import { attributeExport, ProgrammeMarketplaces } from './programme-attribution';

const AGS = 'amazon-global-selling';
const ODOP = 'flipkart-walmart-odop-up';
const VRIDDHI = 'walmart-vriddhi';
/** The seed catalogue: Amazon's programme, the Walmart + Flipkart MoU, and Vriddhi over every marketplace. */
const CATALOGUE: ProgrammeMarketplaces = new Map([
  [AGS, ['amazon']],
  [ODOP, ['flipkart', 'walmart']],
  [VRIDDHI, ['amazon', 'flipkart', 'walmart']],
] as const);

describe('attributeExport: an export counts where its seller is enrolled and its marketplace runs the programme', () => {
  it('counts an Amazon order of a seller in Amazon Global Selling and ODOP in Amazon Global Selling only', () => {
    expect(attributeExport({ partner: 'amazon', programmes: [AGS, ODOP] }, CATALOGUE)).toEqual({ programmes: [AGS], unknown: [] });
  });

  it('counts a Flipkart order of the same seller in ODOP only', () => {
    expect(attributeExport({ partner: 'flipkart', programmes: [AGS, ODOP] }, CATALOGUE)).toEqual({ programmes: [ODOP], unknown: [] });
  });

  it('counts one order in two programmes that both take its marketplace', () => {
    expect(attributeExport({ partner: 'walmart', programmes: [VRIDDHI, ODOP] }, CATALOGUE)).toEqual({ programmes: [ODOP, VRIDDHI], unknown: [] });
  });

  it('counts an order whose marketplace is in none of the seller\u2019s programmes in none (the all-programme row still counts it)', () => {
    expect(attributeExport({ partner: 'walmart', programmes: [AGS] }, CATALOGUE)).toEqual({ programmes: [], unknown: [] });
  });

  it('counts nothing for a seller enrolled in no programme on the shipment day (enrolled the day after, or withdrawn before)', () => {
    expect(attributeExport({ partner: 'amazon', programmes: [] }, CATALOGUE)).toEqual({ programmes: [], unknown: [] });
  });

  it('names a programme the catalogue does not hold instead of dropping it, and still decides the others', () => {
    expect(attributeExport({ partner: 'amazon', programmes: ['new-programme', AGS] }, CATALOGUE)).toEqual({ programmes: [AGS], unknown: ['new-programme'] });
  });

  it('counts a programme listed twice once, and follows a changed rule', () => {
    expect(attributeExport({ partner: 'amazon', programmes: [ODOP, ODOP] }, new Map([[ODOP, ['amazon', 'flipkart']]]))).toEqual({ programmes: [ODOP], unknown: [] });
  });
});
