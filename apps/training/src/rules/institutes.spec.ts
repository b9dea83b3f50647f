import { GST_STATE_CODES, isGstStateCode } from '@niryat/contracts';
import { areNeighbours, NEIGHBOURING_STATES, neighboursOf, SEED_INSTITUTES } from './institutes';

describe('seed institutes', () => {
  it('are Panipat in Haryana, Agra in Uttar Pradesh, and online in no state', () => {
    expect(SEED_INSTITUTES.map((i) => [i.id, i.stateCode, i.delivery])).toEqual([
      ['panipat', '06', 'in-person'],
      ['agra', '09', 'in-person'],
      ['online', undefined, 'online'],
    ]);
  });
});

describe('neighbouring states', () => {
  const entries = Object.entries(NEIGHBOURING_STATES);

  it('are keyed and listed by valid GST state codes, each state once, never itself', () => {
    for (const [state, neighbours] of entries) {
      expect(isGstStateCode(state)).toBe(true);
      for (const n of neighbours) expect(isGstStateCode(n)).toBe(true);
      expect(new Set(neighbours).size).toBe(neighbours.length);
      expect(neighbours).not.toContain(state);
    }
  });

  it('are symmetric: a border has two sides', () => {
    const oneSided = entries.flatMap(([state, neighbours]) => neighbours.filter((n) => !neighboursOf(n).includes(state)).map((n) => `${state}→${n}`));
    expect(oneSided).toEqual([]);
  });

  it('cover every place code but the pre-2014 Andhra Pradesh and the tax jurisdictions', () => {
    const missing = GST_STATE_CODES.filter((code) => !(code in NEIGHBOURING_STATES));
    expect(missing).toEqual(['28', '97', '99']);
  });

  it('know the north around the institutes', () => {
    expect([...neighboursOf('06')].sort()).toEqual(['02', '03', '04', '05', '07', '08', '09']);
    expect([...neighboursOf('09')].sort()).toEqual(['05', '06', '07', '08', '10', '20', '22', '23']);
    expect(areNeighbours('09', '02')).toBe(false);
    expect(areNeighbours('04', '02')).toBe(false);
  });

  it('know the borders people get wrong', () => {
    expect(areNeighbours('22', '37')).toBe(true); // Chhattisgarh and the new Andhra Pradesh, since 2014
    expect(areNeighbours('21', '36')).toBe(false); // Odisha and Telangana do not touch
    expect(areNeighbours('27', '37')).toBe(false); // nor Maharashtra and Andhra Pradesh
    expect(areNeighbours('19', '17')).toBe(false); // Bangladesh lies between West Bengal and Meghalaya
    expect(areNeighbours('34', '32')).toBe(true); // Mahé
    expect(neighboursOf('31')).toEqual([]);
    expect(neighboursOf('35')).toEqual([]);
  });

  it('answers nothing for codes it does not know, even inherited names', () => {
    for (const code of ['28', '99', '40', 'constructor', '__proto__']) expect(neighboursOf(code)).toEqual([]);
  });
});
