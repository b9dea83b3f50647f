import { maskPersonalData, personalDataIn } from './personal-data';

describe('personal data in free text', () => {
  it.each([
    ['GST registration 09AAKCS7744R1Z8 cancelled', ['GSTIN']],
    ['PAN aakcs7744r does not match', ['PAN']],
    ['write to exports@sambhalhorn.example.in', ['e-mail address']],
    ['call +91 98370 12345 first', ['mobile number']],
    ['refund to account 0123 0001 0004 5821', ['account or card number']],
  ])('finds it in %p', (text, kinds) => {
    expect(personalDataIn(text)).toEqual(expect.arrayContaining(kinds));
  });

  it.each([
    'GSTIN cancelled on the GST portal',
    'Udyam certificate belongs to another enterprise',
    'Seller asked to pause exports until 2027-01-15; 3 of 12 documents missing',
    'moved to cohort 408de346-3453-4343-ab53-a4c8ca6e979e',
  ])('lets operator text through: %p', (text) => {
    expect(personalDataIn(text)).toEqual([]);
  });
});

describe('masking personal data in log text', () => {
  it('masks every identifier, contact and account number but its last four characters, and leaves ids alone', () => {
    const line = 'query failed: PARAMETERS: ["09AAKCS7744R1Z8","AAKCS7744R","exports@sambhalhorn.example.in","+919837012345","0123000100045821"] seller 6f1c2a57-0c4e-4a41-9d0e-1f2a3b4c5d6e';
    const masked = maskPersonalData(line);
    for (const value of ['09AAKCS7744R1Z8', 'AAKCS7744R', 'exports@sambhalhorn.example.in', '9837012345', '0123000100045821']) expect(masked).not.toContain(value);
    expect(masked).toContain('6f1c2a57-0c4e-4a41-9d0e-1f2a3b4c5d6e');
    expect(masked).toContain('R1Z8');
    expect(maskPersonalData('applied 42 events in 318 ms')).toBe('applied 42 events in 318 ms');
  });
});
