import type { Principal } from '@niryat/auth';
import { maskEmail, maskTail, sellerView } from './seller-view';
import { Seller } from './seller.entity';

const SELLER = {
  id: '6f1c2a57-0c4e-4a41-9d0e-1f2a3b4c5d6e',
  legalName: 'Sambhal Horn Crafts Private Limited',
  tradeName: null,
  stateCode: '09',
  district: 'Sambhal',
  classification: 'micro',
  status: 'approved',
  gstin: '09AAKCS7744R1Z8',
  pan: 'AAKCS7744R',
  udyamNumber: 'UDYAM-UP-63-0045821',
  iec: 'AAKCS7744R',
  contact: { email: 'exports@sambhalhorn.example.in', mobile: '+919837012345' },
  bankIfsc: 'PUNB0123400',
  bankAccountNumber: '0123000100045821',
} as unknown as Seller;

const as = (role: Principal['role']) => ({ id: `${role}-1`, role }) as Principal;

describe('seller view: personal data by role', () => {
  it('masks identifiers and contacts for analysts the way the bank account is masked', () => {
    expect(sellerView(SELLER, as('analyst'))).toMatchObject({
      gstin: '•••••••••••R1Z8',
      pan: '••••••744R',
      udyamNumber: '•••••••••••••••5821',
      iec: '••••••744R',
      contact: { email: 'e••••••@sambhalhorn.example.in', mobile: '•••••••••2345' },
      bankAccount: { ifsc: 'PUNB0123400', accountNumber: '••••••••••••5821' },
    });
  });

  it.each(['registrant', 'reviewer', 'operator'] as const)('shows them in full to the %s, but never the whole bank account', (role) => {
    expect(sellerView(SELLER, as(role))).toMatchObject({
      gstin: '09AAKCS7744R1Z8',
      pan: 'AAKCS7744R',
      contact: { email: 'exports@sambhalhorn.example.in', mobile: '+919837012345' },
      bankAccount: { accountNumber: '••••••••••••5821' },
    });
  });

  it('gives partners the business profile only', () => {
    expect(Object.keys(sellerView(SELLER, as('partner'))).sort()).toEqual(['classification', 'district', 'id', 'legalName', 'stateCode', 'status', 'tradeName']);
  });

  it('masks short and odd values without revealing them', () => {
    expect(maskTail('1234')).toBe('1234');
    expect(maskEmail('not-an-email')).toBe('••••••••mail');
    expect(maskEmail('a@x.in')).toBe('a@x.in');
  });
});
