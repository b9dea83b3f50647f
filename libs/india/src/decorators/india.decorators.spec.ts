import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { gstinCheckCharacter } from '../gstin';
import { GstinMatchesPan, GstinMatchesState, IecMatchesPan, UdyamMatchesState } from './cross-field.decorators';
import { IsGstin, IsGstStateCode, IsIec, IsIfsc, IsIndianMobile, IsItcHsCode, IsPan, IsPinCode, IsUdyamNumber } from './identifier.decorators';
import { NormaliseIdentifier, NormaliseIndianMobile } from './normalise.transforms';

class SellerFormDto {
  @NormaliseIdentifier()
  @IsGstin()
  @GstinMatchesState('stateCode')
  @GstinMatchesPan('pan')
  gstin!: string;

  @NormaliseIdentifier()
  @IsPan()
  pan!: string;

  @NormaliseIdentifier()
  @IsUdyamNumber()
  @UdyamMatchesState('stateCode')
  udyamNumber!: string;

  @NormaliseIdentifier()
  @IsIec()
  @IecMatchesPan('pan')
  iec!: string;

  @IsGstStateCode()
  stateCode!: string;

  @NormaliseIdentifier()
  @IsIfsc()
  ifsc!: string;

  @IsPinCode()
  pinCode!: string;

  @NormaliseIndianMobile()
  @IsIndianMobile()
  mobile!: string;

  @IsItcHsCode({ each: true })
  hsCodes!: string[];
}

/** The same flattening as contracts' flattenValidationErrors (india may not import contracts). */
function flatten(errors: ValidationError[]): { field: string; code: string; message: string }[] {
  return errors.flatMap((error) => Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field: error.property, code, message })));
}

function check(plain: Record<string, unknown>) {
  const instance = plainToInstance(SellerFormDto, plain);
  const errors = flatten(validateSync(instance));
  return { instance, errors, codes: errors.map((e) => `${e.field}:${e.code}`).sort() };
}

function gstin(stateCode: string, pan: string): string {
  const first14 = `${stateCode}${pan}1Z`;
  return first14 + gstinCheckCharacter(first14);
}

const PAN = 'AAECM1234F';
const valid = {
  gstin: gstin('09', PAN),
  pan: PAN,
  udyamNumber: 'UDYAM-UP-47-0012345',
  iec: PAN,
  stateCode: '09',
  ifsc: 'SBIN0001234',
  pinCode: '244001',
  mobile: '+919876543210',
  hsCodes: ['74199930'],
};

describe('India decorators on a DTO', () => {
  it('accept a valid form', () => {
    expect(check(valid).errors).toEqual([]);
  });

  it('normalise identifiers and mobile numbers before validating', () => {
    const { instance, errors } = check({
      ...valid,
      gstin: `  ${valid.gstin.toLowerCase()} `,
      pan: ' aaecm1234f',
      udyamNumber: 'udyam-up-47-0012345 ',
      iec: 'aaecm1234f',
      ifsc: ' sbin0001234',
      mobile: ' +91 98765-43210 ',
    });
    expect(errors).toEqual([]);
    expect(instance).toMatchObject({
      gstin: valid.gstin,
      pan: PAN,
      udyamNumber: 'UDYAM-UP-47-0012345',
      iec: PAN,
      ifsc: 'SBIN0001234',
      mobile: '+919876543210',
    });
  });

  it('report every failing field at once, each rule under its own code', () => {
    const { codes } = check({
      gstin: gstin('40', 'AAPXU0939F').slice(0, 12) + '0YV',
      pan: 'ABCXE0000F',
      udyamNumber: 'UDYAM-KA-01-0012345',
      iec: '0388012345',
      stateCode: '40',
      ifsc: 'SBIN1001234',
      pinCode: '044001',
      mobile: '9876543210',
      hsCodes: ['74199930', '77010000'],
    });
    expect(codes).toEqual(
      [
        'gstin:gstinStateCode',
        'gstin:gstinPan',
        'gstin:gstinEntityNumber',
        'gstin:gstinDefaultZ',
        'pan:panHolderType',
        'pan:panSerial',
        'udyamNumber:udyamStateCode',
        'iec:iecFormat',
        'stateCode:gstStateCode',
        'ifsc:ifscFormat',
        'pinCode:pinCodeFormat',
        'mobile:indianMobile',
        'hsCodes:itcHsCode',
      ].sort(),
    );
  });

  it('report only the root cause for a GSTIN of the wrong length', () => {
    expect(check({ ...valid, gstin: '09AAECM1234F1Z' }).codes).toEqual(['gstin:gstinLength']);
  });

  it('report a wrong check character once the structure holds', () => {
    const wrong = valid.gstin.slice(0, 14) + (valid.gstin[14] === 'A' ? 'B' : 'A');
    expect(check({ ...valid, gstin: wrong }).codes).toEqual(['gstin:gstinCheckCharacter']);
  });

  it('leave non-strings to the validators', () => {
    const { instance, codes } = check({ ...valid, gstin: 9, pan: null, udyamNumber: undefined, iec: ['AAECM1234F'], mobile: 9876543210 });
    expect(instance.gstin).toBe(9);
    expect(codes).toEqual(['gstin:gstinLength', 'iec:iecFormat', 'mobile:indianMobile', 'pan:panFormat', 'udyamNumber:udyamFormat']);
  });

  it('name the failing item of an array in the message', () => {
    const [error] = check({ ...valid, hsCodes: ['74199930', '77010000'] }).errors;
    expect(error.code).toBe('itcHsCode');
    expect(error.message).toContain('77');
  });

  it('take a message override like any class-validator decorator', () => {
    class Custom {
      @IsPan({ message: 'bad PAN' })
      pan!: string;
    }
    expect(flatten(validateSync(plainToInstance(Custom, { pan: 'x' })))).toEqual([{ field: 'pan', code: 'panFormat', message: 'bad PAN' }]);
  });

  describe('cross-field rules', () => {
    it('report a GSTIN from another state', () => {
      const { errors, codes } = check({ ...valid, gstin: gstin('27', PAN), udyamNumber: 'UDYAM-UP-47-0012345' });
      expect(codes).toEqual(['gstin:gstinMatchesState']);
      expect(errors[0].message).toBe('GSTIN is registered in state 27 (Maharashtra), not stateCode 09 (Uttar Pradesh)');
    });

    it('report a GSTIN of another PAN, masked', () => {
      const otherPan = 'AAPFU0939F';
      const other = gstin('09', otherPan);
      const { errors, codes } = check({ ...valid, gstin: other });
      expect(codes).toEqual(['gstin:gstinMatchesPan']);
      expect(errors[0].message).toBe(`GSTIN ***********${other.slice(-4)} belongs to PAN ******939F, not pan ******234F`);
      expect(errors[0].message).not.toContain(other);
      expect(errors[0].message).not.toContain(otherPan);
      expect(errors[0].message).not.toContain(PAN);
    });

    it('report a Udyam number from another state, naming the letters expected', () => {
      const { errors, codes } = check({ ...valid, udyamNumber: 'UDYAM-MH-19-0001234' });
      expect(codes).toEqual(['udyamNumber:udyamMatchesState']);
      expect(errors[0].message).toBe('Udyam number is registered in 27 (Maharashtra), not stateCode 09 (Uttar Pradesh) (expected UDYAM-UP-…)');
    });

    it('report an IEC that is not the PAN, saying why, with both values masked', () => {
      const { errors, codes } = check({ ...valid, iec: 'AAPFU0939F' });
      expect(codes).toEqual(['iec:iecMatchesPan']);
      const { message } = errors[0];
      expect(message).toContain('since 2017 the IEC is the holder');
      expect(message).toContain('IEC ******939F');
      expect(message).toContain('pan ******234F');
      expect(message).not.toContain('AAPFU0939F');
      expect(message).not.toContain(PAN);
    });

    it('report all mismatches together', () => {
      const { codes } = check({ ...valid, stateCode: '27' });
      expect(codes).toEqual(['gstin:gstinMatchesState', 'udyamNumber:udyamMatchesState']);
    });

    it('stay quiet when either side is invalid on its own, so one mistake is one error', () => {
      expect(check({ ...valid, stateCode: '40' }).codes).toEqual(['stateCode:gstStateCode']);
      expect(check({ ...valid, pan: 'AAEXM1234F' }).codes).toEqual(['pan:panHolderType']);
      expect(check({ ...valid, gstin: gstin('09', PAN).slice(0, 14) })).toMatchObject({ codes: ['gstin:gstinLength'] });
      expect(check({ ...valid, udyamNumber: 'UDYAM-XX-01-0012345' }).codes).toEqual(['udyamNumber:udyamStateCode']);
      expect(check({ ...valid, iec: 'AAPFU0000F' }).codes).toEqual(['iec:iecFormat']);
    });

    it('stay quiet when the other field is missing', () => {
      class GstinOnly {
        @IsGstin()
        @GstinMatchesPan('pan')
        @GstinMatchesState('stateCode')
        gstin!: string;
      }
      expect(validateSync(plainToInstance(GstinOnly, { gstin: valid.gstin }))).toEqual([]);
    });
  });

  it('never print a full GSTIN or PAN in any message', () => {
    const otherPan = 'AAPFU0939F';
    const inputs = [
      { ...valid, gstin: gstin('27', otherPan), iec: otherPan },
      { ...valid, gstin: valid.gstin.slice(0, 14) + '#' },
      { ...valid, pan: 'AAEXM1234F', iec: 'AAEXM1234F', gstin: gstin('40', 'AAEXM1234F') },
    ];
    for (const input of inputs) {
      for (const { message } of check(input).errors) {
        for (const secret of [input.gstin, input.pan, input.iec, otherPan, PAN]) expect(message).not.toContain(secret);
      }
    }
  });
});
