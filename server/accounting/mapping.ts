import { COST_NATURES, RESOURCE_KINDS, type CostNature, type LegalForm, type ResourceKind } from '../../db/schema/enums';

/**
 * A member's chart of accounts for the entries Mutualise writes (pure). Defaults follow the plan comptable
 * général (PCG, ANC 2014-03); associations and foundations follow the associations' plan (ANC 2018-06),
 * which differs here only for rebilled services (7088, an association's 706 being its statutory services).
 * A member stores overrides only; the effective mapping is the defaults with the overrides on top.
 */

export type ChartName = 'pcg' | 'associations';

export interface AccountsByNature {
  /** A cost nature's account wins over the resource kind's (null: use the kind's). */
  byNature: Record<CostNature, string | null>;
  byKind: Record<ResourceKind, string>;
  /** Lines with neither (a resource no longer known). */
  fallback: string;
}

export interface Journal {
  code: string;
  label: string;
}

export interface AccountMapping {
  chart: ChartName;
  /** Issued invoices and their credit notes. */
  sales: AccountsByNature;
  /** Received invoices and their credit notes. */
  expenses: AccountsByNature;
  customers: string;
  suppliers: string;
  bank: string;
  vatCollected: string;
  vatDeductible: string;
  /** `auto`: a member liable to VAT recovers it; exempt, franchise and non-liable members book it in the expense. */
  recoverVat: 'auto' | 'yes' | 'no';
  /** Auxiliary accounts are the prefix and the counterpart's SIREN, e.g. C812345676 / F812345676. */
  customerAuxPrefix: string;
  supplierAuxPrefix: string;
  /** `misc`: settlements that only set off what two members owe each other (no money moves). */
  journals: { sales: Journal; purchases: Journal; bank: Journal; misc: Journal };
}

/** What a member may store: any part of the mapping. */
type DeepPartial<T> = T extends string | number | boolean | null ? T : { [K in keyof T]?: DeepPartial<T[K]> };
export type MappingOverrides = DeepPartial<AccountMapping>;

export function chartOf(legalForm: LegalForm): ChartName {
  return legalForm === 'association' ? 'associations' : 'pcg';
}

/** Every cost nature, those not listed following the resource kind. */
const byNature = (accounts: Partial<Record<CostNature, string>>) =>
  Object.fromEntries(COST_NATURES.map((n) => [n, accounts[n] ?? null])) as Record<CostNature, string | null>;

export function defaultMapping(chart: ChartName): AccountMapping {
  return {
    chart,
    sales: {
      byNature: byNature({ salary: '7084', social_charges: '7084', reimbursed_expenses: '7084', rent_or_lease: '7083' }),
      byKind: { staff: '7084', room: '7083', equipment: '7083', service: chart === 'associations' ? '7088' : '706' },
      fallback: '7088',
    },
    expenses: {
      byNature: byNature({ salary: '6214', social_charges: '6214', reimbursed_expenses: '6214', rent_or_lease: '613' }),
      byKind: { staff: '6214', room: '613', equipment: '613', service: '6226' },
      fallback: '628',
    },
    customers: '411',
    suppliers: '401',
    bank: '512',
    vatCollected: '44571',
    vatDeductible: '44566',
    recoverVat: 'auto',
    customerAuxPrefix: 'C',
    supplierAuxPrefix: 'F',
    journals: {
      sales: { code: 'VT', label: 'Journal des ventes' },
      purchases: { code: 'AC', label: 'Journal des achats' },
      bank: { code: 'BQ', label: 'Journal de banque' },
      misc: { code: 'OD', label: 'Opérations diverses' },
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = merge((base as Record<string, unknown>)[k], v);
  return out as T;
}

/** The defaults of the member's chart with its overrides on top (the chart itself may be overridden). */
export function effectiveMapping(legalForm: LegalForm, overrides: MappingOverrides): AccountMapping {
  const chart = overrides.chart ?? chartOf(legalForm);
  return merge(defaultMapping(chart), { ...overrides, chart });
}

export interface MappingProblem {
  path: string;
  message: string;
}

const ACCOUNT = /^[1-9][0-9]{2,11}$/;

/** Accounts must be PCG numbers of the right class; journals distinct codes. Returns every problem found. */
export function mappingProblems(m: AccountMapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const account = (path: string, value: string | null, classes: string[], what: string) => {
    if (value === null) return;
    if (!ACCOUNT.test(value)) problems.push({ path, message: `${value} is not an account number (3 to 12 digits)` });
    else if (!classes.some((c) => value.startsWith(c))) problems.push({ path, message: `${value} is not ${what} (${classes.join(' or ')}…)` });
  };
  for (const [side, classes, what] of [
    ['sales', ['7'], 'a revenue account'],
    ['expenses', ['6'], 'an expense account'],
  ] as const) {
    for (const n of COST_NATURES) account(`${side}.byNature.${n}`, m[side].byNature[n], [...classes], what);
    for (const k of RESOURCE_KINDS) account(`${side}.byKind.${k}`, m[side].byKind[k], [...classes], what);
    account(`${side}.fallback`, m[side].fallback, [...classes], what);
  }
  account('customers', m.customers, ['41'], 'a customer account');
  account('suppliers', m.suppliers, ['40'], 'a supplier account');
  account('bank', m.bank, ['51', '53'], 'a bank or cash account');
  account('vatCollected', m.vatCollected, ['4457'], 'a collected VAT account');
  account('vatDeductible', m.vatDeductible, ['4456'], 'a deductible VAT account');
  for (const p of ['customerAuxPrefix', 'supplierAuxPrefix'] as const) {
    if (!/^[A-Z0-9]{0,4}$/.test(m[p])) problems.push({ path: p, message: 'up to 4 capital letters or digits' });
  }
  if (m.customerAuxPrefix === m.supplierAuxPrefix) problems.push({ path: 'supplierAuxPrefix', message: 'customers and suppliers need different prefixes' });
  const codes = Object.entries(m.journals);
  for (const [k, j] of codes) {
    if (!/^[A-Z0-9]{1,6}$/.test(j.code)) problems.push({ path: `journals.${k}.code`, message: '1 to 6 capital letters or digits' });
    if (!j.label.trim()) problems.push({ path: `journals.${k}.label`, message: 'a journal needs a label' });
  }
  if (new Set(codes.map(([, j]) => j.code)).size !== codes.length) problems.push({ path: 'journals', message: 'journal codes must differ' });
  return problems;
}

/** The account of an invoice line: its cost nature's, else its resource kind's, else the fallback. */
export function accountFor(side: AccountsByNature, nature: CostNature | null, kind: ResourceKind | null): string {
  return (nature ? side.byNature[nature] : null) ?? (kind ? side.byKind[kind] : null) ?? side.fallback;
}

/** PCG labels of the accounts the defaults use (CompteLib); other numbers get their class's label. */
const LABELS: Record<string, string> = {
  '401': 'Fournisseurs',
  '411': 'Clients',
  '44566': 'TVA déductible sur autres biens et services',
  '44571': 'TVA collectée',
  '512': 'Banques',
  '530': 'Caisse',
  '6132': 'Locations immobilières',
  '6135': 'Locations mobilières',
  '613': 'Locations',
  '6214': 'Personnel détaché ou prêté à l’entité',
  '6226': 'Honoraires',
  '628': 'Divers',
  '706': 'Prestations de services',
  '7083': 'Locations diverses',
  '7084': 'Mise à disposition de personnel facturée',
  '7088': 'Autres produits d’activités annexes',
};

export function accountLabel(account: string): string {
  for (let n = account.length; n >= 3; n--) {
    const label = LABELS[account.slice(0, n)];
    if (label) return label;
  }
  return `Compte ${account}`;
}
