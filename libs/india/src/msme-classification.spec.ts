import {
  classifyEnterprise,
  EnterpriseFigures,
  indianCalendarDate,
  MSME_RULE_TABLES,
  MsmeCategory,
  MsmeClassificationError,
  msmeRuleTableOn,
} from './msme-classification';

const CRORE = 10_000_000;

function classify(investment: number, turnover: number, onDate: Date | string, exportTurnover = 0) {
  return classifyEnterprise({ investmentInPlantAndMachinery: investment, annualTurnover: turnover, exportTurnover }, onDate);
}

function errorOf(run: () => unknown): MsmeClassificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof MsmeClassificationError) return error;
    throw error;
  }
  throw new Error('expected an MsmeClassificationError');
}

/** Ceilings per table, in crore, as the notifications print them. */
const TABLES: { id: string; day: string; ceilings: [Exclude<MsmeCategory, 'not-msme'>, number, number][]; next: MsmeCategory[] }[] = [
  {
    id: 'msme-2020-07-01',
    day: '2024-06-15',
    ceilings: [
      ['micro', 1, 5],
      ['small', 10, 50],
      ['medium', 50, 250],
    ],
    next: ['small', 'medium', 'not-msme'],
  },
  {
    id: 'msme-2025-04-01',
    day: '2025-06-15',
    ceilings: [
      ['micro', 2.5, 10],
      ['small', 25, 100],
      ['medium', 125, 500],
    ],
    next: ['small', 'medium', 'not-msme'],
  },
];

describe('MSME rule tables', () => {
  it('are ordered by the date they come into force, each in force from a later day', () => {
    const days = MSME_RULE_TABLES.map((table) => table.inForceFrom);
    expect(days).toEqual(['2020-07-01', '2025-04-01']);
    expect(MSME_RULE_TABLES.map((table) => table.id)).toEqual(['msme-2020-07-01', 'msme-2025-04-01']);
  });

  it('hold whole-rupee ceilings that grow from micro to medium', () => {
    for (const { limits } of MSME_RULE_TABLES) {
      for (const { investment, turnover } of Object.values(limits)) {
        expect(Number.isSafeInteger(investment)).toBe(true);
        expect(Number.isSafeInteger(turnover)).toBe(true);
      }
      expect(limits.micro.investment).toBeLessThan(limits.small.investment);
      expect(limits.small.investment).toBeLessThan(limits.medium.investment);
      expect(limits.micro.turnover).toBeLessThan(limits.small.turnover);
      expect(limits.small.turnover).toBeLessThan(limits.medium.turnover);
    }
  });

  it('are frozen', () => {
    expect(Object.isFrozen(MSME_RULE_TABLES)).toBe(true);
    expect(Object.isFrozen(MSME_RULE_TABLES[0].limits.micro)).toBe(true);
  });
});

describe.each(TABLES)('classifyEnterprise under $id', ({ id, day, ceilings, next }) => {
  it.each(ceilings.map(([category, investment, turnover], i) => [category, investment, turnover, next[i]] as const))(
    '%s: ceilings ₹%s crore investment and ₹%s crore turnover',
    (category, investmentCrore, turnoverCrore, above) => {
      const investment = investmentCrore * CRORE;
      const turnover = turnoverCrore * CRORE;
      expect(classify(investment, turnover, day)).toEqual({ category, ruleId: id, inForceFrom: id.slice(5), turnoverConsidered: turnover });
      expect(classify(investment + 1, turnover, day).category).toBe(above);
      expect(classify(investment, turnover + 1, day).category).toBe(above);
      expect(classify(investment + 1, turnover + 1, day).category).toBe(above);
      // One ceiling breached alone is enough, however small the other figure.
      expect(classify(investment + 1, 0, day).category).toBe(above);
      expect(classify(0, turnover + 1, day).category).toBe(above);
    },
  );

  it('puts an enterprise with nothing invested and no turnover in micro', () => {
    expect(classify(0, 0, day).category).toBe('micro');
  });

  it('leaves exports out of turnover', () => {
    const [, microInvestment, microTurnover] = ceilings[0];
    const turnover = microTurnover * CRORE;
    // Over the micro turnover ceiling in total, within it once exports are taken out.
    const result = classify(microInvestment * CRORE, turnover + 3 * CRORE, day, 3 * CRORE);
    expect(result).toMatchObject({ category: 'micro', turnoverConsidered: turnover });
    expect(classify(microInvestment * CRORE, turnover + 3 * CRORE, day, 3 * CRORE - 1)).toMatchObject({ category: 'small', turnoverConsidered: turnover + 1 });
  });

  it('classifies an all-export enterprise by investment alone', () => {
    const [, , mediumTurnover] = ceilings[2];
    const everything = 10 * mediumTurnover * CRORE;
    expect(classify(0, everything, day, everything)).toMatchObject({ category: 'micro', turnoverConsidered: 0 });
  });
});

describe('classifyEnterprise: which table applies', () => {
  // ₹2 crore invested, ₹8 crore turnover: small under 2020 (over the ₹1 crore and ₹5 crore micro
  // ceilings), micro under 2025 (within ₹2.5 crore and ₹10 crore).
  const figures: EnterpriseFigures = { investmentInPlantAndMachinery: 2 * CRORE, annualTurnover: 8 * CRORE, exportTurnover: 0 };

  it('switches on 1 April 2025', () => {
    expect(classifyEnterprise(figures, '2025-03-31')).toMatchObject({ category: 'small', ruleId: 'msme-2020-07-01', inForceFrom: '2020-07-01' });
    expect(classifyEnterprise(figures, '2025-04-01')).toMatchObject({ category: 'micro', ruleId: 'msme-2025-04-01', inForceFrom: '2025-04-01' });
  });

  it('starts on 1 July 2020 and has no table before', () => {
    expect(classifyEnterprise(figures, '2020-07-01')).toMatchObject({ ruleId: 'msme-2020-07-01' });
    const error = errorOf(() => classifyEnterprise(figures, '2020-06-30'));
    expect(error.code).toBe('MSME.NO_RULES_IN_FORCE');
    expect(error.message).toContain('2020-06-30');
    expect(error.message).toContain('2020-07-01');
    expect(errorOf(() => classifyEnterprise(figures, '1999-01-01')).code).toBe('MSME.NO_RULES_IN_FORCE');
  });

  it('takes the date of a Date in India, not in UTC', () => {
    // 2025-03-31T18:30:00Z is midnight starting 1 April in India; a minute earlier is still 31 March.
    expect(classifyEnterprise(figures, new Date('2025-03-31T18:30:00Z')).ruleId).toBe('msme-2025-04-01');
    expect(classifyEnterprise(figures, new Date('2025-03-31T18:29:59.999Z')).ruleId).toBe('msme-2020-07-01');
    expect(classifyEnterprise(figures, new Date('2020-06-30T18:30:00Z')).ruleId).toBe('msme-2020-07-01');
    expect(errorOf(() => classifyEnterprise(figures, new Date('2020-06-30T18:29:59Z'))).code).toBe('MSME.NO_RULES_IN_FORCE');
  });

  it('picks the same table through msmeRuleTableOn', () => {
    expect(msmeRuleTableOn('2025-04-01').id).toBe('msme-2025-04-01');
    expect(msmeRuleTableOn('2030-01-01').id).toBe('msme-2025-04-01');
    expect(msmeRuleTableOn(new Date('2022-01-01T00:00:00Z')).id).toBe('msme-2020-07-01');
  });
});

describe('indianCalendarDate', () => {
  it.each([
    ['2025-03-31T18:29:59.999Z', '2025-03-31'],
    ['2025-03-31T18:30:00.000Z', '2025-04-01'],
    ['2025-04-01T00:00:00+05:30', '2025-04-01'],
    ['2024-12-31T20:00:00Z', '2025-01-01'],
    ['2024-02-28T19:00:00Z', '2024-02-29'],
  ])('%s is %s in India', (instant, day) => {
    expect(indianCalendarDate(new Date(instant))).toBe(day);
  });

  it('refuses an invalid Date', () => {
    expect(errorOf(() => indianCalendarDate(new Date('not a date'))).code).toBe('MSME.INVALID_DATE');
  });
});

describe('classifyEnterprise: input errors', () => {
  const ok: EnterpriseFigures = { investmentInPlantAndMachinery: CRORE, annualTurnover: 5 * CRORE, exportTurnover: CRORE };

  it.each([
    ['investmentInPlantAndMachinery', -1],
    ['investmentInPlantAndMachinery', 1.5],
    ['annualTurnover', Number.NaN],
    ['annualTurnover', Number.POSITIVE_INFINITY],
    ['annualTurnover', Number.MAX_SAFE_INTEGER + 1],
    ['exportTurnover', -0.01],
    ['exportTurnover', '100'],
    ['investmentInPlantAndMachinery', null],
    ['annualTurnover', undefined],
    ['exportTurnover', 10n],
  ])('refuses %s = %p', (field, value) => {
    const error = errorOf(() => classifyEnterprise({ ...ok, [field]: value } as unknown as EnterpriseFigures, '2025-06-01'));
    expect(error.code).toBe('MSME.INVALID_FIGURES');
    expect(error.message).toContain(field);
  });

  it('accepts the largest safe integer', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(classify(max, max, '2025-06-01', max)).toMatchObject({ category: 'not-msme', turnoverConsidered: 0 });
  });

  it('refuses figures that are not an object', () => {
    expect(errorOf(() => classifyEnterprise(null as unknown as EnterpriseFigures, '2025-06-01')).code).toBe('MSME.INVALID_FIGURES');
  });

  it('refuses exports larger than turnover, and accepts them equal', () => {
    const error = errorOf(() => classify(0, 5 * CRORE, '2025-06-01', 5 * CRORE + 1));
    expect(error.code).toBe('MSME.EXPORTS_EXCEED_TURNOVER');
    expect(classify(0, 5 * CRORE, '2025-06-01', 5 * CRORE)).toMatchObject({ turnoverConsidered: 0 });
  });

  it.each(['2025-02-30', '2025-13-01', '2025-00-10', '2025-4-1', '01-04-2025', '2025-04-01T00:00:00Z', '', 'today'])('refuses the date %j', (day) => {
    expect(errorOf(() => classifyEnterprise(ok, day)).code).toBe('MSME.INVALID_DATE');
  });

  it('refuses an invalid Date and a non-date', () => {
    expect(errorOf(() => classifyEnterprise(ok, new Date(Number.NaN))).code).toBe('MSME.INVALID_DATE');
    expect(errorOf(() => classifyEnterprise(ok, 20250401 as unknown as string)).code).toBe('MSME.INVALID_DATE');
  });

  it('accepts 29 February in a leap year only', () => {
    expect(classifyEnterprise(ok, '2024-02-29').ruleId).toBe('msme-2020-07-01');
    expect(errorOf(() => classifyEnterprise(ok, '2025-02-29')).code).toBe('MSME.INVALID_DATE');
  });

  it('checks the figures before the date', () => {
    expect(errorOf(() => classifyEnterprise({ ...ok, annualTurnover: -1 }, '2019-01-01')).code).toBe('MSME.INVALID_FIGURES');
  });
});
