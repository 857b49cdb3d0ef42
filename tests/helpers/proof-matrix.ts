import fc from 'fast-check';
import { validArb, type GenContext } from './proof-arbitraries';
import type { ProofPole } from './proof-pole';
import { fillUrl, type JsonSchema, type ProofRoute } from './proof-routes';

/**
 * The access matrix's rule table: the status each role should get on each route, derived from the route's
 * declared access rule and from ownership (the ids used belong to structure D, which neither actor belongs
 * to). Per-route exceptions are listed in OVERRIDES, each with its reason; keep that list short.
 */

export const ACTORS = ['anonymous', 'memberA', 'adminB', 'staffC', 'coordinator'] as const;
export type Actor = (typeof ACTORS)[number];

export interface Probe {
  route: ProofRoute;
  actor: Actor;
  url: string;
  payload?: unknown;
  /** Statuses that pass; `null` means "not refused for want of a session or a role" (any status below 500). */
  allowed: number[] | null;
  /** A call that must not change the database (every call but the coordinator's writes). */
  readOnly: boolean;
  why: string;
}

/** Reads of the shared catalogue: any signed-in user sees any resource and its availability. */
const SHARED_READS = new Set(['GET /api/resources/:id', 'GET /api/resources/:id/availability']);

/** Explicit exceptions to the derived rule, with the reason. */
export const OVERRIDES: Record<string, { actors: Actor[]; allowed: number[]; why: string }[]> = {
  'DELETE /api/me/sessions': [{ actors: ['memberA', 'adminB'], allowed: [204], why: 'ends the caller’s own other sessions: no structure’s data' }],
  // :month names a month, not a structure's record: the list is filtered to the actor's own statements.
  'GET /api/closings/:month/versions': [{ actors: ['memberA', 'adminB'], allowed: [200], why: 'a month’s list, filtered to the actor’s own statements' }],
  // Invoice C→D went out as a plain PDF (D's data cannot make an e-invoice): its XML does not exist.
  'GET /api/invoices/:id/facturx.xml': [{ actors: ['coordinator'], allowed: [409], why: 'served to coordinators, but invoice C→D has no e-invoice (409 einvoice.not_issued)' }],
};

/** Which entity a `:id` after this path segment names. */
const ENTITY_OF_SEGMENT: Record<string, keyof ProofPole['ids'] | 'member' | 'user'> = {
  members: 'member',
  users: 'user',
  resources: 'resourceC',
  bookings: 'bookingD',
  invoices: 'invoiceCD',
  payments: 'paymentCD',
  costs: 'costC',
  feeds: 'feedD',
  employees: 'employeeD',
  'lending-agreements': 'agreementCD',
  outbox: 'outboxSent',
};
const OWN_ENTITY_OF_SEGMENT: Record<string, keyof ProofPole['ids'] | 'member' | 'user'> = {
  members: 'member',
  users: 'user',
  bookings: 'bookingA',
  invoices: 'invoiceCA',
};

/** The value of a path parameter naming another structure's (D's) data, or the actor's own (A's). */
export function paramValue(pole: ProofPole, route: ProofRoute, name: string, whose: 'foreign' | 'own' = 'foreign'): string | number | undefined {
  const parts = route.url.split('/');
  const at = parts.findIndex((p) => p.startsWith(`:${name}`));
  const segment = at > 0 ? parts[at - 1]! : '';
  const foreign = whose === 'foreign';
  if (name === 'id') {
    const entity = (foreign ? ENTITY_OF_SEGMENT : OWN_ENTITY_OF_SEGMENT)[segment];
    if (entity === 'member') return foreign ? pole.memberD : pole.base.memberA;
    if (entity === 'user') return foreign ? pole.userDId : pole.base.userIds[pole.base.userA];
    return entity ? pole.ids[entity] : undefined;
  }
  if (name === 'memberId') return foreign ? pole.memberD : pole.base.memberA;
  if (name === 'resourceId') return pole.ids.resourceC;
  if (name === 'month') return pole.closedMonth;
  if (name === 'version') return 1; // every closed month's documents have a version 1
  if (name === 'token') return 'no-such-token-0000000000000000';
  return undefined;
}

/** Values for well-known body and query fields, pointing at D's data. */
function foreignField(pole: ProofPole, name: string): unknown {
  switch (name) {
    case 'memberId':
    case 'buyerMemberId':
    case 'sellerMemberId':
      return pole.memberD;
    case 'bearerMemberId':
      return pole.base.memberC;
    case 'resourceId':
      return pole.ids.resourceC;
    case 'resourceIds':
      return String(pole.ids.resourceC);
    case 'userId':
      return pole.userDId;
    case 'invoiceId':
      return pole.ids.invoiceCD;
    case 'bookingId':
      return pole.ids.bookingD;
    case 'month':
      return pole.openMonth;
    case 'start':
      return '2026-11-25T10:00:00+01:00';
    case 'end':
      return '2026-11-25T11:00:00+01:00';
    case 'from':
      return '2026-10-01T00:00:00+02:00';
    case 'to':
      return '2026-11-01T00:00:00+01:00';
    case 'role':
      return 'member';
    case 'scope':
      return 'member';
    default:
      return undefined;
  }
}

const sampleOf = (schema: JsonSchema, ctx: GenContext): unknown => fc.sample(validArb(schema, ctx), { seed: 20261116, numRuns: 1 })[0];

/** A body the schema accepts, whose id fields all point at D's data (so only access can refuse it). */
export function foreignBody(pole: ProofPole, schema: JsonSchema | null): unknown {
  if (!schema) return undefined;
  const ctx: GenContext = { ids: [pole.memberD], byName: (name) => (foreignField(pole, name) === undefined ? undefined : fc.constant(foreignField(pole, name))) };
  // A minimal body: the required fields, and the structure acted for.
  let minimal = schema;
  if (schema.properties) {
    const entries = Object.entries(schema.properties);
    const kept = entries.filter(([k]) => schema.required?.includes(k) || k === 'memberId');
    // Patches (all optional, at least one field): keep the first fields so the body stays valid.
    for (const entry of entries) if (kept.length < (schema.minProperties ?? 0) && !kept.includes(entry)) kept.push(entry);
    minimal = { ...schema, properties: Object.fromEntries(kept), required: kept.map(([k]) => k) };
  }
  const body = sampleOf(minimal, ctx);
  if (body && typeof body === 'object' && !Array.isArray(body) && schema.properties) {
    const obj = body as Record<string, unknown>;
    for (const name of Object.keys(schema.properties)) {
      const v = foreignField(pole, name);
      // The structure acted for is always D's; other ids only where the sample uses them.
      if (v !== undefined && (name === 'memberId' || (name in obj && /Id$/.test(name)))) obj[name] = v;
    }
  }
  return body;
}

export function foreignQuery(pole: ProofPole, schema: JsonSchema | null, withOptionalIds: boolean): string {
  if (!schema?.properties) return '';
  const pairs: string[] = [];
  for (const [name, s] of Object.entries(schema.properties)) {
    const required = schema.required?.includes(name) ?? false;
    if (!required && !(withOptionalIds && /Id$/.test(name))) continue;
    // Lists are asked about the closed month, where invoices and final allocations exist.
    let v = name === 'month' ? pole.closedMonth : foreignField(pole, name);
    if (v === undefined) v = sampleOf(s, { ids: [pole.memberD] });
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

const WRITE = (m: string) => m !== 'GET';

/** Every probe of the matrix for one route. Throws when the route names data the matrix cannot point at. */
export function probesFor(pole: ProofPole, route: ProofRoute): Probe[] {
  const values: Record<string, string | number> = {};
  for (const { name } of route.params) {
    const v = paramValue(pole, route, name);
    if (v === undefined) throw new Error(`${route.key}: the matrix has no foreign value for :${name} (teach paramValue, or seed the entity)`);
    values[name] = v;
  }
  const url = fillUrl(route.url, values);
  const query = foreignQuery(pole, route.query, false);
  const payload = WRITE(route.method) ? foreignBody(pole, route.body) : undefined;
  const base = { route, url: url + query, ...(payload === undefined ? {} : { payload }) };
  const probes: Probe[] = [];

  if (route.access === 'public') {
    // Public routes are called anonymously (signing in and out is the auth suites' business).
    probes.push({ ...base, actor: 'anonymous', allowed: null, readOnly: true, why: 'public: reachable without a session' });
    return probes;
  }
  probes.push({ ...base, actor: 'anonymous', allowed: [401], readOnly: true, why: `${route.access}: no session` });

  for (const actor of ['memberA', 'adminB'] as const) {
    let allowed: number[];
    let why: string;
    if (route.access === 'coordinator') {
      allowed = [403];
      why = 'coordinators only';
    } else if (route.access === 'admin' && actor === 'memberA') {
      allowed = [403];
      why = 'administrators only';
    } else if (WRITE(route.method)) {
      allowed = [403, 404];
      why = 'a change to another structure’s data';
    } else if (route.params.length && !SHARED_READS.has(route.key)) {
      allowed = [403, 404];
      why = 'another structure’s record';
    } else {
      allowed = [200];
      why = SHARED_READS.has(route.key) ? 'shared catalogue, read' : 'a list, filtered to the actor’s structure';
    }
    const override = OVERRIDES[route.key]?.find((o) => o.actors.includes(actor));
    if (override) {
      allowed = override.allowed;
      why = `override: ${override.why}`;
    }
    probes.push({ ...base, actor, allowed, readOnly: true, why });
    // A list asked explicitly for D's data: filtered, refused or empty of D's data, never leaking it.
    if (!WRITE(route.method) && !route.params.length && route.query?.properties && Object.keys(route.query.properties).some((n) => /Id$/.test(n))) {
      probes.push({ ...base, url: url + foreignQuery(pole, route.query, true), actor, allowed: [200, 403, 404], readOnly: true, why: 'a list asked for another structure' });
    }
  }

  // An employee's own account (C's technician, lent to D) reaches only the routes declared `staff`.
  const staffRead = !WRITE(route.method) && !route.params.length;
  probes.push({
    ...base,
    actor: 'staffC',
    allowed: route.access === 'staff' ? (staffRead ? [200] : [403, 404]) : [403],
    readOnly: true,
    why: route.access === 'staff' ? 'an employee account, on data that is not its own' : 'an employee account reaches only its timesheet and schedule',
  });

  const coordinatorOverride = OVERRIDES[route.key]?.find((o) => o.actors.includes('coordinator'));
  probes.push({
    ...base,
    actor: 'coordinator',
    allowed: coordinatorOverride ? coordinatorOverride.allowed : WRITE(route.method) ? null : [200],
    readOnly: false,
    why: coordinatorOverride
      ? `override: ${coordinatorOverride.why}`
      : WRITE(route.method)
        ? 'coordinators act on the whole pole'
        : 'coordinators read the whole pole (the ids used exist)',
  });
  return probes;
}

/** Member A reading its own records: proves the 404s above are about ownership, not missing data. */
export function ownProbes(pole: ProofPole, route: ProofRoute): Probe[] {
  if (route.method !== 'GET' || route.access !== 'user' || !route.params.length) return [];
  const values: Record<string, string | number> = {};
  for (const { name } of route.params) {
    const v = paramValue(pole, route, name, 'own');
    if (v === undefined) return [];
    values[name] = v;
  }
  return [{ route, actor: 'memberA', url: fillUrl(route.url, values) + foreignQuery(pole, route.query, false), allowed: [200], readOnly: true, why: 'own record' }];
}
