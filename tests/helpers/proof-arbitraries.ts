import fc from 'fast-check';
import type { JsonSchema } from './proof-routes';

/**
 * fast-check arbitraries driven by a route's JSON schema: `validArb` builds values the schema accepts
 * (with realistic instants, months and ids where the property name says what it holds), `hostileArb`
 * breaks them the ways clients and attackers do: wrong types, missing and extra fields, huge strings,
 * unicode oddities, negative and huge numbers, impossible dates.
 */

export interface GenContext {
  /** Ids that exist in the database under test (any entity): valid-looking ids are drawn from here. */
  ids: number[];
  /** Override by property name (return undefined to fall back to the schema). */
  byName?: (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;
}

const ISO_INSTANT_HINT = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}T/;
const MONTH_HINT = /^\^\\d\{4\}-\(0\[1-9\]/;
const LOCAL_DATE_HINT = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Realistic instants around the test clock (2026), on quarter hours, with Paris offsets or Z. */
export const isoInstantArb: fc.Arbitrary<string> = fc
  .record({
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    quarter: fc.integer({ min: 0, max: 3 }),
    zone: fc.constantFrom('+01:00', '+02:00', 'Z'),
    year: fc.constantFrom(2026, 2026, 2026, 2027, 2025),
  })
  .map(({ year, month, day, hour, quarter, zone }) => `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(quarter * 15)}:00${zone}`);

export const monthArb: fc.Arbitrary<string> = fc
  .record({ year: fc.constantFrom(2025, 2026, 2026, 2027), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${pad(month)}`);

export const localDateArb: fc.Arbitrary<string> = fc
  .record({ year: fc.constantFrom(2025, 2026, 2027), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${pad(month)}-${pad(day)}`);

/** Dates and instants that look right and are not: the parser must refuse them, never crash. */
export const IMPOSSIBLE_DATES = [
  '2026-02-30T25:61:00+01:00',
  '2026-02-29T10:00:00+01:00',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-11-31T10:00:00+01:00',
  '2026-11-16T24:00:00+01:00',
  '2026-11-16T10:00:60+01:00',
  '2026-11-16T10:00:00+25:00',
  '2026-11-16T10:00:00+01:60',
  '2026-03-29T02:30:00+01:00', // the hour that does not exist in Paris
  '2026-10-25T02:30:00+01:00', // the hour that happens twice
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59+14:00',
  '+275760-09-13T00:00:01Z',
  '-000001-01-01T00:00:00Z',
  '2026-11-16T10:00:00',
  '2026-11-16',
  '2026-02-30',
  '2026-13',
  '2026-00',
  '0000-00',
  '99999-01',
  '2026-1',
  'yesterday',
  '2026-11-16T10:00:00.1234567890123Z',
  '1e12',
];

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil\u202C',
  '\u200B\u200D\uFEFF',
  'e\u0301\u0301\u0301',
  '🙂🏳️‍🌈👩‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ≤≥÷',
  '𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐',
  "'; DROP TABLE members; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0x10',
  '1e400',
  '\r\nSet-Cookie: x=y',
  'Ünïcödé Ćhâràctérs — «guillemets» ’',
];

export const nastyStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // Long strings: past every maxLength (thousands of characters), a few far longer.
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2_000 }).map((n) => '🙂'.repeat(n)) },
);

export const HUGE_NUMBERS = [-1, 0, -0, 0.5, 1.5, -(2 ** 31), 2 ** 31, 2 ** 31 - 1, 2 ** 53, -(2 ** 53), 2 ** 63, 1e21, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2];

export const hugeNumberArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: -1 }) },
);

/** Any JSON value of the wrong kind for `schema`. */
export function wrongTypeArb(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const options: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]), fc.array(fc.integer(), { maxLength: 3 })];
  if (type !== 'string') options.push(fc.constantFrom('5', '1', 'true', '', '2026-11'), nastyStringArb);
  if (type !== 'integer' && type !== 'number') options.push(hugeNumberArb);
  else options.push(fc.constantFrom(1.5, 0.1, -0.5, 1e-9));
  if (type !== 'object') options.push(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
  return fc.oneof(...options);
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties || schema.patternProperties) return 'object';
  return undefined;
}

const isIdName = (name: string | undefined) => name !== undefined && (name === 'id' || /Id$/.test(name));

/** Values the schema accepts. `name` is the property name, used for realistic ids, instants and months. */
export function validArb(schema: JsonSchema, ctx: GenContext, name?: string): fc.Arbitrary<unknown> {
  if (name !== undefined) {
    const custom = ctx.byName?.(name, schema);
    if (custom) return custom;
  }
  const nonNull = validNonNullArb(schema, ctx, name);
  return schema.nullable ? fc.oneof({ weight: 5, arbitrary: nonNull }, { weight: 1, arbitrary: fc.constant(null) }) : nonNull;
}

function validNonNullArb(schema: JsonSchema, ctx: GenContext, name?: string): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validArb(s, ctx, name)));
  if (schema.allOf?.length) return validArb(Object.assign({}, ...schema.allOf) as JsonSchema, ctx, name);
  const type = typeOf(schema);
  if (Array.isArray(schema.type) && schema.type.includes('null') && type) {
    return fc.oneof(validArb({ ...schema, type }, ctx, name), fc.constant(null));
  }
  switch (type) {
    case 'string':
      return stringArb(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? -(2 ** 31), schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -Infinity, -(2 ** 31));
      const max = Math.min(schema.maximum ?? 2 ** 31, schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Infinity, 2 ** 31);
      const plain = fc.integer({ min, max });
      const known = ctx.ids.filter((id) => id >= min && id <= max);
      if (isIdName(name) && known.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plain });
      const small = fc.integer({ min: Math.max(min, 0), max: Math.min(max, Math.max(min, 0) + 500) });
      return min <= max ? fc.oneof({ weight: 3, arbitrary: small }, { weight: 1, arbitrary: plain }) : fc.constant(min);
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const tuple = Array.isArray(schema.items) ? (schema.items as JsonSchema[]) : (schema.prefixItems as JsonSchema[] | undefined);
      if (tuple) return fc.tuple(...tuple.map((s) => validArb(s, ctx)));
      const item = schema.items ?? {};
      return fc.array(validArb(item, ctx), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)) });
    }
    case 'object':
      return objectArb(schema, ctx);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
  const fits = (s: string) => s.length >= min && s.length <= (schema.maxLength ?? Infinity);
  if (schema.format === 'email') return fc.tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom('fuzz.test', 'example.org')).map(([u, d]) => `${u}@${d}`);
  if (schema.format === 'date-time') return isoInstantArb;
  if (schema.format === 'date') return localDateArb;
  if (schema.pattern) {
    if (ISO_INSTANT_HINT.test(schema.pattern)) return isoInstantArb;
    if (MONTH_HINT.test(schema.pattern)) return monthArb;
    if (LOCAL_DATE_HINT.test(schema.pattern)) return localDateArb;
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: max }).filter((s) => fits(s) && s.trim().length >= Math.min(min, 1));
}

function objectArb(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = schema.required ?? [];
  const patternProps = schema.patternProperties as Record<string, JsonSchema> | undefined;
  const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validArb(s, ctx, k)]));
  let arb: fc.Arbitrary<Record<string, unknown>> = fc.record(model, { requiredKeys: required.filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
  if (patternProps && Object.keys(props).length === 0) {
    const [pattern, valueSchema] = Object.entries(patternProps)[0]!;
    arb = fc.dictionary(fc.stringMatching(new RegExp(pattern)), validArb(valueSchema, ctx), { maxKeys: 4 }) as fc.Arbitrary<Record<string, unknown>>;
  }
  const minProps = schema.minProperties ?? 0;
  if (minProps > 0) {
    const keys = Object.keys(props);
    // Patches: all fields optional but at least one. Draw one key first so the filter never starves.
    if (keys.length) {
      return fc
        .tuple(fc.constantFrom(...keys), arb)
        .chain(([key, rest]) => validArb(props[key]!, ctx, key).map((v) => ({ ...rest, [key]: v })))
        .filter((o) => Object.keys(o).length >= minProps);
    }
    if (patternProps) return arb.filter((o) => Object.keys(o).length >= minProps);
  }
  return arb;
}

const EXTRA_KEYS = ['isAdmin', 'role', 'id', 'memberId', 'status', 'createdAt', 'passwordHash', '__proto__', 'constructor', 'toString', '', ' ', '🙂', 'a'.repeat(300)];

export type Mutation = { kind: string; value: unknown };

/**
 * A hostile variant of an object the schema describes: a valid object with 1–3 mutations (dropped required
 * field, extra field, a value of the wrong type or out of range, nasty or huge strings, impossible dates),
 * or a body that is not an object at all.
 */
export function hostileObjectArb(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<Mutation> {
  const props = schema.properties ?? {};
  const keys = Object.keys(props);
  const required = (schema.required ?? []).filter((k) => k in props);
  const valid = validArb(schema, ctx) as fc.Arbitrary<Record<string, unknown>>;

  const mutate = (obj: Record<string, unknown>): fc.Arbitrary<{ kind: string; obj: Record<string, unknown> }> => {
    const options: fc.Arbitrary<{ kind: string; obj: Record<string, unknown> }>[] = [
      fc
        .tuple(fc.constantFrom(...EXTRA_KEYS), fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 }), nastyStringArb))
        .map(([k, v]) => ({ kind: 'extra-field', obj: k === '__proto__' ? Object.defineProperty({ ...obj }, k, { value: v, enumerable: true }) : { ...obj, [k]: v } })),
    ];
    if (required.length) {
      options.push(fc.constantFrom(...required).map((k) => {
        const copy = { ...obj };
        delete copy[k];
        return { kind: 'missing-field', obj: copy };
      }));
    }
    if (keys.length) {
      options.push(
        fc.constantFrom(...keys).chain((k) => wrongTypeArb(props[k]!).map((v) => ({ kind: 'wrong-type', obj: { ...obj, [k]: v } }))),
        fc.constantFrom(...keys).chain((k) => nastyStringArb.map((v) => ({ kind: 'nasty-string', obj: { ...obj, [k]: v } }))),
        fc.constantFrom(...keys).chain((k) => hugeNumberArb.map((v) => ({ kind: 'huge-number', obj: { ...obj, [k]: v } }))),
        fc.constantFrom(...keys).chain((k) => fc.constantFrom(...IMPOSSIBLE_DATES).map((v) => ({ kind: 'impossible-date', obj: { ...obj, [k]: v } }))),
        fc.constantFrom(...keys).map((k) => ({ kind: 'null-field', obj: { ...obj, [k]: null } })),
      );
    }
    return fc.oneof(...options);
  };

  const mutated = valid.chain((obj) =>
    fc.constantFrom(1, 1, 1, 2, 3).chain((n) => {
      let acc: fc.Arbitrary<{ kind: string; obj: Record<string, unknown> }> = fc.constant({ kind: '', obj });
      for (let i = 0; i < n; i++) acc = acc.chain(({ kind, obj: o }) => mutate(o).map((m) => ({ kind: kind ? `${kind}+${m.kind}` : m.kind, obj: m.obj })));
      return acc.map(({ kind, obj: o }) => ({ kind, value: o as unknown }));
    }),
  );
  const notAnObject = fc.oneof(fc.constant(null), fc.constant([]), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), nastyStringArb, hugeNumberArb, fc.boolean());
  return fc.oneof(
    { weight: 9, arbitrary: mutated },
    { weight: 4, arbitrary: valid.map((value) => ({ kind: 'valid', value: value as unknown })) },
    { weight: 1, arbitrary: notAnObject.map((value) => ({ kind: 'not-an-object', value })) },
  );
}

/** Path parameter values: valid ids, and every way a segment can be wrong. */
export function hostileParamArb(schema: JsonSchema, ctx: GenContext, name: string): fc.Arbitrary<string> {
  const valid = validArb(schema, ctx, name).map(String);
  const wrong = fc.constantFrom('0', '-1', '1.5', '1e3', '0x1F', 'abc', ' 1', '1 ', '%', '..', '9'.repeat(30), '2147483648', '-0', 'null', 'NaN', '🙂', "1' OR '1'='1", '1;DROP TABLE x', '2026-02-30', '2026-13');
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: wrong }, { weight: 1, arbitrary: nastyStringArb.filter((s) => s.length > 0 && s.length < 3000) });
}

/** Raw request bodies that are not valid JSON, or JSON under the wrong content type. */
export const RAW_BODIES: { contentType: string; payload: string }[] = [
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: '{"a":' },
  { contentType: 'application/json', payload: '[1,2' },
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '"just a string"' },
  { contentType: 'application/json', payload: '{"__proto__":{"isAdmin":true}}' },
  { contentType: 'application/json', payload: '{"constructor":{"prototype":{"isAdmin":true}}}' },
  { contentType: 'application/json', payload: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { contentType: 'application/json', payload: '\uFEFF{}' },
  { contentType: 'application/json', payload: '{"a":1,"a":2}' },
  { contentType: 'application/json; charset=latin1', payload: '{}' },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\n\r\n--x--' },
  { contentType: 'application/xml', payload: '<a/>' },
];
