import type { I18n, MessageKey } from '../i18n/index';
import type { AllocationRule, BookingStatus, CostNature, LegalForm, ResourceKind, Role, VatStatus } from './types';

/** Labels of the API's enumerations, through the current language. */
export const kindLabel = (i: I18n, kind: ResourceKind) => i.t(`kind.${kind}` as MessageKey);
export const statusLabel = (i: I18n, status: BookingStatus) => i.t(`status.${status}` as MessageKey);
export const roleLabel = (i: I18n, role: Role) => i.t(`role.${role}` as MessageKey);
export const ruleLabel = (i: I18n, rule: AllocationRule) => i.t(`rule.${rule}` as MessageKey);
export const natureLabel = (i: I18n, nature: CostNature) => i.t(`nature.${nature}` as MessageKey);
export const legalFormLabel = (i: I18n, form: LegalForm) => i.t(`legalForm.${form}` as MessageKey);
export const vatLabel = (i: I18n, status: VatStatus) => i.t(`vat.${status}` as MessageKey);
export const weekdayLabel = (i: I18n, day: number) => i.t(`weekday.${day}` as MessageKey);
