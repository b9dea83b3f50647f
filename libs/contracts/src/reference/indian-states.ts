// The state table lives in @niryat/india with the rest of the Indian reference data; contracts keeps
// exporting it so payload classes and their consumers import states from one place as before.
export { GST_STATE_CODES, INDIAN_STATES, isGstStateCode } from '@niryat/india';
