export * from './partner-auth.module';
export * from './partner-auth.options';
export * from './partner-auth.error';
export * from './partner-signed.decorator';
export type { AuthenticatedPartner } from './partner-signature';
export { PARTNER_SIGNATURE_HEADERS } from './partner-signature';
