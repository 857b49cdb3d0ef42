import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SESSION_COOKIE } from '../../server/plugins/access';
import { dbFingerprint } from '../helpers/app';
import { hostileObjectArb, hostileParamArb, isoInstantArb, RAW_BODIES, type GenContext } from '../helpers/proof-arbitraries';
import { buildProofPole, type ProofPole } from '../helpers/proof-pole';
import { isApiRoute, routeTable, type ProofRoute } from '../helpers/proof-routes';
import { PROOF_SEED } from '../helpers/seed';

/**
 * Schema-driven fuzzing of every route: bodies, path params and query strings built from each route's own
 * schema, then broken (wrong types, missing and extra fields, huge strings, unicode, negative and huge
 * numbers, impossible dates, malformed JSON). Mostly as a coordinator, so that access does not hide
 * validation, and some as a member. No answer may be a 5xx; every 4xx must be `{error:{code,message}}` with
 * a dotted code; a refused request must leave the database exactly as it was.
 *
 * PROOF_FUZZ_REQUESTS (default 10000) and PROOF_SEED reproduce or widen a run.
 */
const TOTAL = Number(process.env.PROOF_FUZZ_REQUESTS ?? 10_000);
const SEED = PROOF_SEED;
const MEMBER_SHARE = 0.15;
const DOTTED_CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  kind: string;
}

/** Percent-encodes any string, lone surrogates included (they go out as U+FFFD, as a browser would send them). */
function enc(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Path segments sent as they are, not encoded: broken escapes and traversal attempts. */
const RAW_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%00', '..%2F..%2F', '%2e%2e', '%C0%AE', '%FF%FE', '1%20OR%201', '%F0%9F%99%82'];

function queryString(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `?${enc(JSON.stringify(value) ?? '')}`;
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const values = Array.isArray(v) ? v : [v];
    for (const item of values) {
      if (item === undefined) continue;
      const text = typeof item === 'string' ? item : JSON.stringify(item);
      pairs.push(`${enc(k)}=${enc(text ?? '')}`);
    }
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function requestArb(route: ProofRoute, ctx: GenContext): fc.Arbitrary<FuzzRequest> {
  const params = route.params.length
    ? fc.tuple(
        ...route.params.map((p) =>
          fc.oneof(
            { weight: 12, arbitrary: hostileParamArb(p.schema, ctx, p.name).map((v) => [p.name, enc(v)] as const) },
            { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((v) => [p.name, v] as const) },
          ),
        ),
      )
    : fc.constant([] as (readonly [string, string])[]);
  const query = route.query
    ? fc.option(hostileObjectArb(route.query, ctx), { freq: 8 })
    : fc.option(fc.constant({ kind: 'unexpected-query', value: { extra: 'x', memberId: '1' } as unknown }), { freq: 4 });
  const body = route.body ? hostileObjectArb(route.body, ctx) : fc.option(fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'unexpected-body', value })), { freq: 2 });
  const raw = fc.option(fc.constantFrom(...RAW_BODIES), { freq: 12 });
  return fc.record({ params, query, body, raw }).map(({ params: ps, query: q, body: b, raw: r }) => {
    let url = route.url;
    for (const [name, v] of ps) url = url.replace(`:${name}`, v);
    url += q ? queryString(q.value) : '';
    const kinds = [q ? `query:${q.kind}` : '', b ? `body:${b.kind}` : ''].filter(Boolean);
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (route.method !== 'GET' && r && route.body) {
      headers['content-type'] = r.contentType;
      payload = r.payload;
      kinds.push(`raw:${r.payload.slice(0, 12)}`);
    } else if (route.method !== 'GET' && b) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(b.value) ?? 'null';
    }
    return { method: route.method, url, headers, ...(payload === undefined ? {} : { payload }), kind: kinds.join(' ') || 'plain' };
  });
}

describe('proof: fuzzing every route from its schema', () => {
  let pole: ProofPole;
  before(async () => {
    pole = await buildProofPole();
  });
  after(() => pole.t.close());

  it(`${TOTAL} generated requests: no 5xx, clear 4xx, nothing written on refusal`, async () => {
    const { app, store } = pole.t;
    const routes = routeTable(app).filter(isApiRoute);
    assert.ok(routes.length >= 10);
    const ids = [...new Set([pole.memberD, pole.userDId, ...Object.values(pole.ids).filter((v): v is number => typeof v === 'number'), 1, 2, 3])];
    const ctx: GenContext = {
      ids,
      byName: (name, schema) => (/^(from|to|start|end)$/.test(name) && schema.type === 'string' && !schema.pattern ? isoInstantArb : undefined),
    };

    // Actors: sessions made directly (a fuzzed PATCH may disable a user or change its password: repaired between requests).
    const actors = {
      coordinator: { userId: pole.base.userIds[pole.base.coordinator]!, role: 'coordinator', memberId: null as number | null, cookie: '' },
      member: { userId: pole.base.userIds[pole.base.userA]!, role: 'member', memberId: pole.base.memberA as number | null, cookie: '' },
    };
    const changes = store.sqlite.prepare('SELECT total_changes() AS n');
    const totalChanges = () => (changes.get() as { n: number }).n;
    let repairs = 0;
    const repair = (actor: (typeof actors)[keyof typeof actors]) => {
      store.sqlite.prepare('UPDATE users SET active = 1, role = ?, member_id = ? WHERE id = ?').run(actor.role, actor.memberId, actor.userId);
      actor.cookie = `${SESSION_COOKIE}=${app.sessions.create(actor.userId).token}`;
      repairs++;
    };
    repair(actors.coordinator);
    repair(actors.member);
    repairs = 0;

    const perRoute = Math.ceil(TOTAL / routes.length);
    const plan: { route: ProofRoute; req: FuzzRequest; as: 'coordinator' | 'member' | 'anonymous' }[] = [];
    routes.forEach((route, i) => {
      const samples = fc.sample(requestArb(route, ctx), { seed: SEED + i, numRuns: perRoute });
      samples.forEach((req, j) => {
        // Public routes (login, logout, feeds) are fuzzed anonymously: signing out the fuzzing actor proves nothing.
        const as = route.access === 'public' ? 'anonymous' : j % Math.round(1 / MEMBER_SHARE) === 0 ? 'member' : 'coordinator';
        plan.push({ route, req, as });
      });
    });
    plan.length = Math.min(plan.length, TOTAL);

    const byStatus = new Map<number, number>();
    const timeByRoute = new Map<string, number>();
    const byCode = new Map<string, number>();
    const serverErrors: string[] = [];
    const badErrors: string[] = [];
    const writesOnRefusal: string[] = [];
    let fpChanges = -1;
    let fp = '';
    let fingerprints = 0;
    const started = performance.now();

    for (const { route, req, as } of plan) {
      if (fpChanges !== totalChanges()) {
        fp = dbFingerprint(store);
        fpChanges = totalChanges();
        fingerprints++;
      }
      const actor = as === 'anonymous' ? null : actors[as];
      const send = () => app.inject({ method: req.method as 'GET', url: req.url, headers: { ...req.headers, ...(actor ? { cookie: actor.cookie } : {}) }, ...(req.payload === undefined ? {} : { payload: req.payload }) });
      const t0 = performance.now();
      let res = await send();
      if (actor && res.statusCode === 401) {
        // The previous request ended this actor's session (disabled, password changed): repair and retry once.
        repair(actor);
        fp = dbFingerprint(store);
        fpChanges = totalChanges();
        res = await send();
      }
      const status = res.statusCode;
      timeByRoute.set(route.key, (timeByRoute.get(route.key) ?? 0) + performance.now() - t0);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      const label = `${as} ${req.method} ${req.url.slice(0, 160)} [${req.kind}] ${req.payload === undefined ? '' : req.payload.slice(0, 160)}`;
      if (status >= 500) serverErrors.push(`${status} ${label} → ${res.body.slice(0, 200)}`);
      if (status >= 400 && status < 500) {
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try {
          body = res.json();
        } catch {
          body = undefined;
        }
        const code = body?.error?.code;
        if (typeof code !== 'string' || !DOTTED_CODE.test(code) || typeof body?.error?.message !== 'string' || !body.error.message) {
          badErrors.push(`${status} ${label} → ${res.body.slice(0, 200)}`);
        } else {
          byCode.set(code, (byCode.get(code) ?? 0) + 1);
        }
        if (totalChanges() !== fpChanges && dbFingerprint(store) !== fp) writesOnRefusal.push(`${status} ${label}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const refused = [...byStatus].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0);
    const accepted = [...byStatus].filter(([s]) => s < 400).reduce((n, [, c]) => n + c, 0);
    console.log(
      `fuzzing: ${plan.length} requests over ${routes.length} routes (seed ${SEED}) in ${seconds.toFixed(1)} s: ` +
        `${refused} refused (4xx), ${accepted} accepted, ${serverErrors.length} server errors, ${badErrors.length} unclear errors, ` +
        `${writesOnRefusal.length} writes on refusal; ${fingerprints} fingerprints, ${repairs} session repairs`,
    );
    console.log(`fuzzing: statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`);
    console.log(`fuzzing: top codes ${[...byCode].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c, n]) => `${c}×${n}`).join(', ')}`);
    if (process.env.PROOF_VERBOSE) console.log([...timeByRoute].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, ms]) => `${k}: ${ms.toFixed(0)} ms`).join('\n'));
    assert.deepEqual(serverErrors.slice(0, 10), [], `no 5xx (seed ${SEED})`);
    assert.deepEqual(badErrors.slice(0, 10), [], `every 4xx is {error:{code,message}} with a dotted code (seed ${SEED})`);
    assert.deepEqual(writesOnRefusal.slice(0, 10), [], `a refused request writes nothing (seed ${SEED})`);
    assert.ok(refused > plan.length / 2, 'most hostile requests are refused');
    assert.ok(accepted > 0, 'some generated requests are valid (the generators reach the services)');
  });
});
