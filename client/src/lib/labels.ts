import type { I18n, MessageKey } from '../i18n/index';
import type { AllocationRule, BookingStatus, CostNature, LegalForm, ResourceKind, Role, VatStatus, Invoice, InvoiceLine } from './types';

/** Labels of the API's enumerations, through the current language. */
export const kindLabel = (i: I18n, kind: ResourceKind) => i.t(`kind.${kind}` as MessageKey);
export const statusLabel = (i: I18n, status: BookingStatus) => i.t(`status.${status}` as MessageKey);
export const roleLabel = (i: I18n, role: Role) => i.t(`role.${role}` as MessageKey);
export const ruleLabel = (i: I18n, rule: AllocationRule) => i.t(`rule.${rule}` as MessageKey);
export const natureLabel = (i: I18n, nature: CostNature) => i.t(`nature.${nature}` as MessageKey);
export const legalFormLabel = (i: I18n, form: LegalForm) => i.t(`legalForm.${form}` as MessageKey);
export const vatLabel = (i: I18n, status: VatStatus) => i.t(`vat.${status}` as MessageKey);

/** A line's VAT as the invoice prints it: its rate when taxed, its legal basis otherwise (never « 0 % »). */
export function vatCategoryLabel(i: I18n, line: InvoiceLine, documentMention?: string | null): string {
  const category = line.vatCategory ?? ((line.vatRate ?? 0) > 0 ? 'S' : undefined);
  if (category === 'S') return `${i.number(line.vatRate ?? 0, 2)} %`;
  const code = line.exemptionCode ?? (documentMention?.includes('261 B') ? 'VATEX-EU-132-1F' : documentMention?.includes('293 B') ? 'VATEX-FR-FRANCHISE' : null);
  if (code === 'VATEX-EU-132-1F') return i.t('vatcat.E261B');
  if (code === 'VATEX-FR-FRANCHISE') return i.t('vatcat.franchise');
  return i.t('vatcat.O');
}

/** The distinct VAT treatments of an invoice's lines, e.g. « 20 % · Exonérée (261 B) ». */
export function vatSummary(i: I18n, invoice: Invoice): string {
  return [...new Set(invoice.lines.map((l) => vatCategoryLabel(i, l, invoice.mentions?.vat)))].join(' · ');
}
export const weekdayLabel = (i: I18n, day: number) => i.t(`weekday.${day}` as MessageKey);
