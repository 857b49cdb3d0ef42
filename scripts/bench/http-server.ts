/**
 * One HTTP server variant for the HTTP bench, run in its own process (pinned to a core by the parent):
 *   hello              a bare Fastify JSON route: the HTTP ceiling
 *   bare-booking       POST /book: no session, no schema, raw prepared statements doing the overlap check
 *                      (with its index lower bound) and the insert in one IMMEDIATE transaction
 *   bare-availability  GET /availability/:id?from&to: the same overlap SQL, raw, and the free-capacity sweep
 *   real               the application itself (buildApp) on the same database file
 * Usage: http-server.ts <variant> <db file>. Prints {"port":…} once listening; stops on SIGTERM.
 */
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { applyPragmas } from '../../db/index';
import { buildApp } from '../../server/app';

const [variant, dbPath] = process.argv.slice(2);
if (!variant || !dbPath) throw new Error('usage: http-server.ts <hello|bare-booking|bare-availability|real> <db>');

/** Free capacity over [from, to) given the overlapping (start, end, quantity) rows: a sweep over their edges. */
function freeSegments(rows: { s: number; e: number; q: number }[], from: number, to: number, capacity: number) {
  const edges: [number, number][] = [];
  for (const r of rows) {
    edges.push([Math.max(r.s, from), r.q], [Math.min(r.e, to), -r.q]);
  }
  edges.sort((a, b) => a[0] - b[0]);
  const out: { start: string; end: string; free: number }[] = [];
  let at = from;
  let used = 0;
  for (let i = 0; i <= edges.length; i++) {
    const t = i < edges.length ? edges[i]![0] : to;
    if (t > at) {
      const free = capacity - used;
      const last = out[out.length - 1];
      if (last && last.free === free) last.end = new Date(t).toISOString();
      else out.push({ start: new Date(at).toISOString(), end: new Date(t).toISOString(), free });
      at = t;
    }
    if (i < edges.length) used += edges[i]![1];
  }
  return out;
}

/** The highest concurrent quantity among rows plus the candidate, over the candidate's interval. */
function peakWith(rows: { s: number; e: number; q: number }[], s: number, e: number, q: number): number {
  if (rows.length === 0) return q;
  const edges: [number, number][] = [[s, q], [e, -q]];
  for (const r of rows) edges.push([Math.max(r.s, s), r.q], [Math.min(r.e, e), -r.q]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // ends before starts at the same instant: touching is fine
  let used = 0;
  let peak = 0;
  for (const [, d] of edges) {
    used += d;
    if (used > peak) peak = used;
  }
  return peak;
}

function openRaw(path: string) {
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  return sqlite;
}

const OVERLAP_SQL = `SELECT start_ms AS s, end_ms AS e, quantity AS q FROM bookings
  WHERE resource_id = ? AND status IN ('pending', 'confirmed') AND start_ms < ? AND start_ms > ? AND end_ms > ?`;

async function bare(kind: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const sqlite = openRaw(dbPath!);
  app.addHook('onClose', async () => sqlite.close());
  if (kind === 'hello') {
    app.get('/hello', async () => ({ hello: 'world' }));
    return app;
  }
  const resource = sqlite.prepare<[number], { capacity: number; longest: number }>(
    'SELECT capacity, longest_booking_ms AS longest FROM resources WHERE id = ?',
  );
  const overlapping = sqlite.prepare<[number, number, number, number], { s: number; e: number; q: number }>(OVERLAP_SQL);
  if (kind === 'bare-booking') {
    const insert = sqlite.prepare(
      `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?)`,
    );
    const user = sqlite.prepare<[], { id: number; memberId: number }>(
      "SELECT id, member_id AS memberId FROM users WHERE role = 'member_admin' ORDER BY id LIMIT 1",
    ).get()!;
    const book = sqlite.transaction((resourceId: number, s: number, e: number, q: number) => {
      const res = resource.get(resourceId);
      if (!res) return null;
      if (peakWith(overlapping.all(resourceId, e, s - res.longest, s), s, e, q) > res.capacity) return null;
      const now = Date.now();
      const id = Number(insert.run(resourceId, user.memberId, user.id, s, e, q, now, now).lastInsertRowid);
      return id;
    });
    app.post('/book', async (request, reply) => {
      const body = request.body as { resourceId: number; start: string; end: string; quantity?: number };
      const s = Date.parse(body.start);
      const e = Date.parse(body.end);
      const q = body.quantity ?? 1;
      const id = book.immediate(body.resourceId, s, e, q);
      if (id === null) return reply.code(409).send({ error: { code: 'booking.conflict', message: 'conflict' } });
      return reply.code(201).send({ id, resourceId: body.resourceId, memberId: user.memberId, userId: user.id, start: body.start, end: body.end, quantity: q, status: 'confirmed' });
    });
    return app;
  }
  if (kind === 'bare-availability') {
    app.get('/availability/:id', async (request) => {
      const resourceId = Number((request.params as { id: string }).id);
      const query = request.query as { from: string; to: string };
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      const res = resource.get(resourceId)!;
      return { items: freeSegments(overlapping.all(resourceId, to, from - res.longest, from), from, to, res.capacity) };
    });
    return app;
  }
  throw new Error(`unknown variant ${kind}`);
}

const app =
  variant === 'real'
    ? await buildApp({ config: { dbPath, demo: false, serveClient: false, loginMaxAttemptsPerIp: 1000 }, logger: false })
    : await bare(variant);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const cpuAtStart = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

// The load generator signals the start and the end of its measured window: CPU time per request is a figure
// that contention on a shared machine disturbs much less than requests per second.
process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  const rssMb = process.memoryUsage.rss() / 2 ** 20;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ cpuMark: cpu.user + cpu.system, rssMb, peakRssMb })}\n`);
});

process.on('SIGTERM', () => {
  const cpu = process.cpuUsage(cpuAtStart);
  void app.close().then(() => {
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
    process.exit(0);
  });
});
