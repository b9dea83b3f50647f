import type { Principal, Role } from '@niryat/auth';
import { Seller } from './seller.entity';

/** Shows only the last four characters: enough to recognise, not enough to use. */
export function maskTail(value: string, visible = 4): string {
  return value.length <= visible ? value : `${'•'.repeat(value.length - visible)}${value.slice(-visible)}`;
}

/** An e-mail address with its mailbox masked but its first character, the domain kept: `e••••••@sambhalhorn.example.in`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskTail(value);
  return `${value[0]}${'•'.repeat(at - 1)}${value.slice(at)}`;
}

/**
 * Who sees a seller's identifiers and contacts in full: its registrant (who sees only the sellers
 * it registered), reviewers and operators. Analysts see them masked; partners not at all.
 */
const SEE_PERSONAL_DATA: readonly Role[] = ['registrant', 'reviewer', 'operator'];

/** What a partner marketplace may know of a seller linked to it: no identifiers, contacts or bank. */
export interface PartnerSellerView {
  id: string;
  legalName: string;
  tradeName: string | null;
  stateCode: string;
  district: string;
  classification: string;
  status: string;
}

/**
 * The API's picture of a seller. The bank account number is never returned whole; analysts see
 * PAN, GSTIN, Udyam, IEC, e-mail and mobile masked the same way; partners see the public business
 * profile only.
 */
export function sellerView(seller: Seller, principal: Principal) {
  const partnerView: PartnerSellerView = {
    id: seller.id,
    legalName: seller.legalName,
    tradeName: seller.tradeName,
    stateCode: seller.stateCode,
    district: seller.district,
    classification: seller.classification,
    status: seller.status,
  };
  if (principal.role === 'partner') return partnerView;
  const full = SEE_PERSONAL_DATA.includes(principal.role);
  const identifier = (value: string) => (full ? value : maskTail(value));
  return {
    ...partnerView,
    constitution: seller.constitution,
    gstin: identifier(seller.gstin),
    pan: identifier(seller.pan),
    udyamNumber: identifier(seller.udyamNumber),
    iec: identifier(seller.iec),
    address: seller.address,
    contact: full ? seller.contact : { ...seller.contact, email: maskEmail(seller.contact.email), mobile: maskTail(seller.contact.mobile) },
    bankAccount: { ifsc: seller.bankIfsc, accountNumber: maskTail(seller.bankAccountNumber) },
    products: seller.products,
    odopProduct: seller.odopProduct,
    investmentInPlantAndMachinery: seller.investmentRupees,
    annualTurnover: seller.turnoverRupees,
    exportTurnover: seller.exportTurnoverRupees,
    classificationRule: seller.classificationRule,
    programmes: seller.programmesApplied,
    registeredBy: seller.registeredBy,
    createdAt: seller.createdAt,
    updatedAt: seller.updatedAt,
  };
}
