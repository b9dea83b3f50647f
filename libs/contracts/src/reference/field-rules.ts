import { IsIn, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { GST_STATE_CODES } from './indian-states';
import { MSME_CATEGORIES, PROGRAMME_ID_PATTERN } from './marketplaces';

/**
 * Several class-validator rules as one decorator, applied as if stacked in the order written (the
 * last one first), so a field that appears in many payloads has its rules written once.
 */
function rules(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of [...decorators].reverse()) decorator(target, property);
  };
}

export const SellerIdField = () => rules(IsUUID());
export const StateCodeField = () => rules(IsIn(GST_STATE_CODES));
export const DistrictField = () => rules(IsString(), IsNotEmpty(), MaxLength(80));
export const ClassificationField = () => rules(IsIn(MSME_CATEGORIES));
export const ProgrammeIdField = () => rules(Matches(PROGRAMME_ID_PATTERN));
/** Who did it: a credential id (or `system`), never a personal name. */
export const ActorField = () => rules(IsString(), IsNotEmpty(), MaxLength(128));
/**
 * Free text for operators: why, never whose (no PAN, GSTIN, contacts or account numbers). Niryat
 * writes at most REASON_MAX_LENGTH characters; events up to 1000 (from before that limit) are still read.
 */
export const ReasonField = () => rules(IsString(), IsNotEmpty(), MaxLength(1000));
export const TimestampField = () => rules(IsISO8601({ strict: true }));
