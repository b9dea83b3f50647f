import { gstinCheckCharacter, GstinRule, isGstin, parseGstin, validateGstin } from './gstin';
import { normaliseIdentifier } from './normalise';
import { GST_STATE_CODES } from './states';
import { InvalidIdentifierError } from './violation';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const codes = (value: unknown) => validateGstin(value).map((v) => v.code);

/** A GSTIN with a correct check character over whatever the first fourteen characters are. */
function gstin(stateCode: string, pan: string, entityNumber = '1', fourteenth = 'Z'): string {
  const first14 = `${stateCode}${pan}${entityNumber}${fourteenth}`;
  return first14 + gstinCheckCharacter(first14);
}

/**
 * The same check character computed independently, the way the algorithm is usually written for
 * Luhn: from the right, doubling every second value starting with the rightmost. Fourteen is even,
 * so this weights the same positions as the left-to-right 1, 2, 1, 2 in gstinCheckCharacter.
 */
function referenceCheckCharacter(first14: string): string {
  let sum = 0;
  let double = true;
  for (let i = first14.length - 1; i >= 0; i--) {
    let value = ALPHABET.indexOf(first14[i]) * (double ? 2 : 1);
    if (value >= 36) value = value - 36 + 1;
    sum += value;
    double = !double;
  }
  return ALPHABET[(36 - (sum % 36)) % 36];
}

describe('gstinCheckCharacter', () => {
  // Widely published GSTINs (the GST portal's example and three large companies); their check
  // characters are the issued ones, so they confirm the algorithm against real registrations.
  it.each([
    ['27AAPFU0939F1Z', 'V'],
    ['29AAACI4798L1Z', 'U'],
    ['27AAACR5055K1Z', '7'],
    ['27AAACT2727Q1Z', 'W'],
  ])('gives the issued check character of %s?', (first14, check) => {
    expect(gstinCheckCharacter(first14)).toBe(check);
  });

  it('works through one by hand: 27AAPFU0939F1Z → V', () => {
    // values:   2  7 10 10 25 15 30  0  9  3  9 15  1 35
    // factors:  1  2  1  2  1  2  1  2  1  2  1  2  1  2
    // products: 2 14 10 20 25 30 30  0  9  6  9 30  1 70
    // 70 is 1×36 + 34, so it counts 1 + 34 = 35; every other product is below 36 and counts as itself.
    // sum = 2+14+10+20+25+30+30+0+9+6+9+30+1+35 = 221; 221 mod 36 = 5; (36 − 5) mod 36 = 31 → 'V'.
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe(ALPHABET[31]);
  });

  it('agrees with an independent right-to-left implementation on many inputs', () => {
    let seed = 20_170_701;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let n = 0; n < 2_000; n++) {
      const first14 = Array.from({ length: 14 }, () => ALPHABET[next() % 36]).join('');
      expect(gstinCheckCharacter(first14)).toBe(referenceCheckCharacter(first14));
    }
  });

  it.each(['27AAPFU0939F1', '27AAPFU0939F1ZV', '27aapfu0939f1z', '27AAPFU0939F#Z', ''])('refuses %j', (input) => {
    expect(() => gstinCheckCharacter(input)).toThrow(RangeError);
  });
});

describe('validateGstin', () => {
  it.each(['27AAPFU0939F1ZV', '07AAPFU0939F1ZX', '29AAACI4798L1ZU', '27AAACR5055K1Z7', '27AAACT2727Q1ZW'])('accepts the published GSTIN %s', (value) => {
    expect(validateGstin(value)).toEqual([]);
    expect(isGstin(value)).toBe(true);
  });

  it('accepts a GSTIN built from a PAN in every state code, 97 and 99 included', () => {
    for (const stateCode of GST_STATE_CODES) expect(codes(gstin(stateCode, 'ABCPE1234F'))).toEqual([]);
  });

  it('accepts entity numbers 1-9 and A-Z', () => {
    for (const entity of '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') expect(codes(gstin('09', 'AAECM1234F', entity))).toEqual([]);
  });

  it('accepts every PAN holder type', () => {
    for (const holder of 'PCHFATBLJG') expect(codes(gstin('24', `ABC${holder}E5678K`))).toEqual([]);
  });

  describe('breaking one rule reports that rule alone', () => {
    it.each([
      ['14 characters', '27AAPFU0939F1Z', GstinRule.length],
      ['16 characters', '27AAPFU0939F1ZVV', GstinRule.length],
      ['empty', '', GstinRule.length],
      ['not text', 27, GstinRule.length],
      ['null', null, GstinRule.length],
      ['undefined', undefined, GstinRule.length],
      ['state code 00', gstin('00', 'AAPFU0939F'), GstinRule.stateCode],
      ['state code 39', gstin('39', 'AAPFU0939F'), GstinRule.stateCode],
      ['state code 98', gstin('98', 'AAPFU0939F'), GstinRule.stateCode],
      ['letters as state code', gstin('AB', 'AAPFU0939F'), GstinRule.stateCode],
      ['PAN with a digit among the letters', gstin('27', 'AAP1U0939F'), GstinRule.pan],
      ['PAN with an unknown holder type', gstin('27', 'AAPXU0939F'), GstinRule.pan],
      ['PAN with serial 0000', gstin('27', 'AAPFU0000F'), GstinRule.pan],
      ['entity number 0', gstin('27', 'AAPFU0939F', '0'), GstinRule.entityNumber],
      ['Y in place of the default Z', gstin('27', 'AAPFU0939F', '1', 'Y'), GstinRule.defaultZ],
      ['D in place of Z (a TDS registration)', gstin('27', 'AAPFU0939F', '1', 'D'), GstinRule.defaultZ],
      ['wrong check character', '27AAPFU0939F1ZW', GstinRule.checkCharacter],
      ['O typed as 0 in the check character', '18ASTPR6755J1Z0', GstinRule.checkCharacter],
      ['a symbol as check character', '27AAPFU0939F1Z#', GstinRule.checkCharacter],
    ])('%s', (_why, value, code) => {
      expect(codes(value)).toEqual([code]);
    });

    it('entity number or default Z that is not a letter or digit', () => {
      expect(codes('27AAPFU0939F-ZV')).toEqual([GstinRule.entityNumber]);
      expect(codes('27AAPFU0939F1-V')).toEqual([GstinRule.defaultZ]);
    });
  });

  it('catches every single-character change of a valid GSTIN', () => {
    const valid = '27AAPFU0939F1ZV';
    for (let position = 0; position < valid.length; position++) {
      for (const replacement of ALPHABET) {
        if (replacement === valid[position]) continue;
        const changed = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(codes(changed).length).toBeGreaterThan(0);
      }
    }
  });

  it('catches every swap of neighbouring characters except 0 with Z', () => {
    const missed: string[] = [];
    for (const a of ALPHABET) {
      for (const b of ALPHABET) {
        if (a === b) continue;
        for (const position of [0, 1]) {
          const first14 = ('27AAPFU0939F1Z'.slice(0, position) + a + b).padEnd(14, '7');
          const swapped = ('27AAPFU0939F1Z'.slice(0, position) + b + a).padEnd(14, '7');
          if (gstinCheckCharacter(first14) === gstinCheckCharacter(swapped)) missed.push(`${a}${b}`);
        }
      }
    }
    expect([...new Set(missed)].sort()).toEqual(['0Z', 'Z0']);
  });

  it('catches a swap of neighbouring characters in the PAN digits', () => {
    expect(codes('27AAPFU9039F1ZV')).toEqual([GstinRule.checkCharacter]);
    expect(codes('27AAPFU0399F1ZV')).toEqual([GstinRule.checkCharacter]);
    expect(codes('27AAPFU0993F1ZV')).toEqual([GstinRule.checkCharacter]);
  });

  describe('precedence: the root cause, not everything downstream', () => {
    it('a wrong length hides every other rule', () => {
      expect(codes('40aaaa0000')).toEqual([GstinRule.length]);
    });

    it('the positional rules are reported together', () => {
      expect(codes(gstin('40', 'AAPXU0939F', '0', 'Y'))).toEqual([GstinRule.stateCode, GstinRule.pan, GstinRule.entityNumber, GstinRule.defaultZ]);
    });

    it('the check character is only checked once the positional rules pass', () => {
      // 72 for 27 is a swap: it breaks the check character too, but the state code is the cause.
      expect(codes('72AAPFU0939F1ZV')).toEqual([GstinRule.stateCode]);
      expect(codes('27AAPFU0939F0ZV')).toEqual([GstinRule.entityNumber]);
    });
  });

  it('refuses lower case and padding until normalised', () => {
    expect(codes('27aapfu0939f1zv')).not.toEqual([]);
    expect(codes(' 27AAPFU0939F1ZV ')).toEqual([GstinRule.length]);
    expect(codes(normaliseIdentifier(' 27aapfu0939f1zv '))).toEqual([]);
  });

  it('never prints the GSTIN or its PAN in a message', () => {
    const broken = ['27AAPFU0939F1ZW', gstin('40', 'AAPXU0939F', '0', 'Y'), '27AAPFU0939F1Z', gstin('27', 'AAPFU0000F')];
    for (const value of broken) {
      for (const { message } of validateGstin(value)) {
        expect(message).not.toContain(value);
        expect(message).not.toContain(value.slice(2, 12));
      }
    }
    expect(validateGstin('27AAPFU0939F1ZW')[0].message).toContain('***********F1ZW');
  });
});

describe('parseGstin', () => {
  it('splits a valid GSTIN', () => {
    expect(parseGstin('27AAPFU0939F1ZV')).toEqual({ stateCode: '27', pan: 'AAPFU0939F', entityNumber: '1', checkCharacter: 'V' });
    const built = gstin('09', 'AAECM1234F', 'B');
    expect(parseGstin(built)).toEqual({ stateCode: '09', pan: 'AAECM1234F', entityNumber: 'B', checkCharacter: built[14] });
  });

  it('throws the violated codes, without the value, for an invalid GSTIN', () => {
    let thrown: unknown;
    try {
      parseGstin('27AAPFU0939F1ZW');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidIdentifierError);
    expect((thrown as InvalidIdentifierError).violations.map((v) => v.code)).toEqual([GstinRule.checkCharacter]);
    expect((thrown as Error).message).not.toContain('AAPFU0939F');
  });
});
