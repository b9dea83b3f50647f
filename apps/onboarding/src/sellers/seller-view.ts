import type { Principal } from '@niryat/auth';
import { Seller } from './seller.entity';

/** Shows only the last four characters: enough to recognise, not enough to use. */
export function maskTail(value: string, visible = 4): string {
  return value.length <= visible ? value : `${'•'.repeat(value.length - visible)}${value.slice(-visible)}`;
}

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
 * The API's picture of a seller. The bank account number is never returned whole; partners see
 * the public business profile only.
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
  return {
    ...partnerView,
    constitution: seller.constitution,
    gstin: seller.gstin,
    pan: seller.pan,
    udyamNumber: seller.udyamNumber,
    iec: seller.iec,
    address: seller.address,
    contact: seller.contact,
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
