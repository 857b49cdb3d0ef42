import type { I18n, MessageKey } from '../i18n/index';
import type { CloseWarning } from './types';

const KEYS = new Set(['weights', 'equal', 'bearer']);
const EINVOICE_FIELDS = new Set(['siren', 'siret', 'address', 'postalCode', 'city', 'countryCode', 'einvoiceAddress', 'iban', 'vatNumber']);

/** The message key of an `allocation.fallback` warning, from its params (rule, part, fallback). */
function fallbackKey(params: Record<string, string | number>): MessageKey | null {
  const { rule, part, fallback } = params;
  if (typeof fallback !== 'string' || !KEYS.has(fallback)) return null;
  if (part === 'usage') return `warning.usagePart.${fallback}` as MessageKey;
  if (part !== 'all') return null;
  if (fallback === 'bearer') return 'warning.fallback.bearer';
  if (rule === 'usage') return `warning.fallback.usage.${fallback}` as MessageKey;
  if (rule === 'weights' && fallback === 'equal') return 'warning.fallback.weights.equal';
  return null;
}

/**
 * A close warning in the user's language, by its stable code and params (amounts and counts formatted by
 * locale). An unknown code, or params it cannot use, falls back to the server's (English) message.
 */
export function warningText(i18n: I18n, warning: CloseWarning): string {
  const { t } = i18n;
  const params = warning.params ?? {};
  const resource = typeof params.resource === 'string' ? params.resource : null;
  switch (warning.code) {
    case 'allocation.fallback': {
      const key = fallbackKey(params);
      if (key && resource !== null) return t(key, { resource });
      break;
    }
    case 'allocation.no_rate':
      if (resource !== null) return t('warning.noRate', { resource });
      break;
    case 'allocation.rate_gap': {
      const gap = params.gapCents;
      if (typeof gap === 'number' && resource !== null) {
        return t(gap > 0 ? 'warning.rateGapLeft' : 'warning.rateGapOver', { resource, amount: i18n.money(Math.abs(gap)) });
      }
      break;
    }
    case 'allocation.note':
      if (resource !== null && typeof params.text === 'string') return t('warning.note', { resource, text: params.text });
      break;
    case 'allocation.rate_not_exact_share':
      if (resource !== null) return t('warning.rateNotExactShare', { resource });
      break;
    case 'allocation.no_paid_hours':
      if (resource !== null) return t('warning.noPaidHours', { resource });
      break;
    case 'allocation.staff_overbooked':
      if (resource !== null) return t('warning.staffOverbooked', { resource });
      break;
    case 'allocation.staff_remainder':
      if (resource !== null && typeof params.remainderCents === 'number') return t('warning.staffRemainder', { resource, amount: i18n.money(params.remainderCents) });
      break;
    case 'invoice.no_billing_mandate':
      if (typeof params.member === 'string') return t('warning.noMandate', { member: params.member });
      break;
    case 'bookings.pending':
      if (typeof params.count === 'number') return t('warning.pending', { count: i18n.number(params.count, 0) });
      break;
    case 'staff.timesheet_unapproved':
    case 'staff.outside_agreement': {
      const { member, minutes, month } = params;
      if (resource === null || typeof member !== 'string' || typeof minutes !== 'number' || typeof month !== 'string') break;
      const vars = { resource, member, hours: i18n.number(minutes / 60, 2), month: i18n.month(month), dates: String(params.dates ?? '') };
      if (warning.code === 'staff.outside_agreement') return t('warning.staffOutside', vars);
      return t(params.entered === 0 ? 'warning.staffNoTimesheet' : params.disputed === 1 ? 'warning.staffDisputed' : 'warning.staffUnapproved', vars);
    }
    case 'staff.resource_unlinked':
      if (resource !== null) return t('warning.staffUnlinked', { resource });
      break;
    case 'einvoice.incomplete_party': {
      const { member, role, missing } = params;
      if (typeof member !== 'string' || typeof missing !== 'string' || (role !== 'seller' && role !== 'buyer')) break;
      const fields = missing.split(',').filter((f) => EINVOICE_FIELDS.has(f));
      if (fields.length === 0) break;
      const list = fields.map((f) => t(`einvoice.field.${f}` as MessageKey)).join(', ');
      return t(role === 'seller' ? 'warning.einvoiceSeller' : 'warning.einvoiceBuyer', { member, missing: list });
    }
  }
  return warning.message;
}
