import 'reflect-metadata';
import { flattenValidationErrors } from '@niryat/contracts';
import { gstinFor, randomPan, sellerRegistration } from '@niryat/testing';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RegisterSellerDto } from './register-seller.dto';

function failures(input: object): string[] {
  const dto = plainToInstance(RegisterSellerDto, input);
  return flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }))
    .map((e) => `${e.field}:${e.code}`)
    .sort();
}

describe('RegisterSellerDto', () => {
  it('accepts a complete registration, normalising identifiers written in lower case with spaces', () => {
    const valid = sellerRegistration();
    expect(failures(valid)).toEqual([]);
    const sloppy = { ...valid, gstin: `  ${valid.gstin.toLowerCase()} `, pan: valid.pan.toLowerCase(), iec: ` ${valid.iec} ` };
    const dto = plainToInstance(RegisterSellerDto, sloppy);
    expect(failures(sloppy)).toEqual([]);
    expect(dto.gstin).toBe(valid.gstin);
  });

  it('reports every broken field at once, each with the code of its rule', () => {
    const valid = sellerRegistration({ stateCode: '09' });
    const otherPan = randomPan('C');
    expect(
      failures({
        ...valid,
        gstin: gstinFor('27', valid.pan), // Maharashtra GSTIN for a seller declared in Uttar Pradesh
        iec: otherPan, // since 2017 the IEC is the PAN
        udyamNumber: 'UDYAM-MH-19-0001234', // Udyam of another state
        address: { ...valid.address, pinCode: '044001' },
        contact: { email: 'not-an-email', mobile: '+915123456789' },
        bankAccount: { ifsc: 'SBIN1001234', accountNumber: '12' },
        products: [{ hsCode: '7419', description: 'Brass' }],
        exportTurnover: valid.annualTurnover + 1,
      }),
    ).toEqual([
      'address.pinCode:pinCodeFormat',
      'bankAccount.accountNumber:matches',
      'bankAccount.ifsc:ifscFormat',
      'contact.email:isEmail',
      'contact.mobile:indianMobile',
      'exportTurnover:exportTurnoverWithinTurnover',
      'gstin:gstinMatchesState',
      'iec:iecMatchesPan',
      'products[0].hsCode:itcHsCode',
      'udyamNumber:udyamMatchesState',
    ]);
  });

  it('checks that the GSTIN embeds the declared PAN and that the PAN fits the constitution', () => {
    const valid = sellerRegistration();
    expect(failures({ ...valid, gstin: gstinFor('09', randomPan('C')) })).toEqual(['gstin:gstinMatchesPan']);
    expect(failures({ ...valid, constitution: 'llp' })).toEqual(['pan:panMatchesConstitution']);
    expect(failures({ ...valid, constitution: 'cooperative' })).toEqual([]); // registered under several holder types
  });

  it('refuses a GSTIN with a wrong check character', () => {
    const valid = sellerRegistration();
    const last = valid.gstin[14];
    const wrong = `${valid.gstin.slice(0, 14)}${last === 'A' ? 'B' : 'A'}`;
    expect(failures({ ...valid, gstin: wrong })).toEqual(['gstin:gstinCheckCharacter']);
  });

  it('requires the identifiers, financials and at least one programme and product', () => {
    const { gstin: _g, pan: _p, annualTurnover: _t, ...rest } = sellerRegistration();
    const fields = new Set(failures({ ...rest, programmes: [], products: [] }).map((f) => f.split(':')[0]));
    for (const field of ['gstin', 'pan', 'annualTurnover', 'programmes', 'products']) expect(fields).toContain(field);
  });
});
