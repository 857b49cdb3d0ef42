import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../db/index';
import { users } from '../../db/schema/index';
import { hashPassword } from '../../server/auth/passwords';
import { rawConnection, requestHead, startChild, tempDir, until } from '../helpers/proof-process';

/**
 * Graceful shutdown of the real entry point (server/main.ts in a child process, on a file database):
 * requests in flight when SIGTERM arrives complete and their writes are kept; a request pipelined behind one
 * of them gets 503 server.closing; new connections get 503 until the listener closes, then are refused, and
 * are never executed; the test waits on the server's own log lines and on the port, never a fixed delay; the process exits 0 and leaves the database
 * checkpointed (no -wal left) and intact.
 */
describe('proof: graceful shutdown', () => {
  const tmp = tempDir('shutdown');
  after(() => tmp.remove());

  it('SIGTERM: in-flight requests complete, late ones get 503 or a closed port, exit 0, database clean', async () => {
    const dbPath = join(tmp.dir, 'mutualise.sqlite');
    const store = openStore(dbPath);
    store.db.insert(users).values({ email: 'coord@shutdown.test', name: 'Coord', role: 'coordinator', memberId: null, passwordHash: await hashPassword('shutdown password'), createdAt: Date.now() }).run();
    store.close();

    const server = startChild(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      MUTUALISE_DB: dbPath,
      MUTUALISE_DEMO: '0',
      HOST: '127.0.0.1',
      PORT: '0',
      // info: Fastify logs each request as it is taken in, which the test waits for instead of sleeping.
      MUTUALISE_LOG_LEVEL: 'info',
    });
    try {
      const port = Number((await server.waitFor(/running at http:\/\/127\.0\.0\.1:(\d+)/, 60_000))[1]);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'coord@shutdown.test', password: 'shutdown password' }),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

      // Three requests in flight: headers sent, half of each body sent, the rest held back.
      const patches = [{ name: 'Pôle en vol' }, { paymentTermsDays: 45 }, { latePenaltyRateBp: 1500 }];
      const conns = patches.map(() => rawConnection(port));
      await Promise.all(conns.map((c) => c.connected));
      const bodies = patches.map((p) => Buffer.from(JSON.stringify(p)));
      await Promise.all(
        conns.map((c, i) =>
          c.write(Buffer.concat([Buffer.from(requestHead('PATCH', '/api/pole', { cookie, 'content-type': 'application/json', 'content-length': bodies[i]!.length })), bodies[i]!.subarray(0, 5)])),
        ),
      );
      // The server has taken the three requests in (headers parsed, bodies still arriving) before the signal:
      // it logs each request as it takes it in.
      const takenIn = () => (server.stdout().match(/"method":"PATCH","url":"\/api\/pole"[^\n]*"msg":"incoming request"/g) ?? []).length;
      await until(() => takenIn() === 3, 'the server has taken the three PATCH requests in');

      const signalledAt = Date.now();
      server.proc.kill('SIGTERM');
      await server.waitFor(/closing: finishing in-flight requests/);

      // New connections after SIGTERM: answered 503 or closed unanswered until the listener closes, then
      // refused; never executed (each is a write the database check below would see).
      const attempts: string[] = [];
      await until(async () => {
        const outcome = await fetch(`http://127.0.0.1:${port}/api/pole`, {
          method: 'PATCH',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Trop tard (nouvelle connexion)' }),
        }).then(
          (r) => `status ${r.status}`,
          (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
        );
        attempts.push(outcome);
        return outcome === 'ECONNREFUSED';
      }, 'the listener is closed');
      const late = attempts.join(', ');
      const unanswered = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'status 503']);
      assert.deepEqual(attempts.filter((a) => !unanswered.has(a)), [], `new requests after SIGTERM got ${late}`);

      // The in-flight requests finish; on the first connection a request is pipelined behind: too late.
      const tooLate = Buffer.from(JSON.stringify({ name: 'Trop tard' }));
      for (const [i, c] of conns.entries()) {
        const rest = [bodies[i]!.subarray(5)];
        if (i === 0) rest.push(Buffer.from(requestHead('PATCH', '/api/pole', { cookie, 'content-type': 'application/json', 'content-length': tooLate.length })), tooLate);
        await c.write(Buffer.concat(rest));
      }
      for (const [i, c] of conns.entries()) {
        const responses = await c.waitResponses(i === 0 ? 2 : 1);
        assert.equal(responses[0]?.status, 200, `in-flight request ${i} completed: ${JSON.stringify(responses[0])}`);
      }
      // The request pipelined behind an in-flight one reaches the app while it closes: 503 in the API's shape.
      const pipelined = conns[0]!.responses[1];
      assert.equal(pipelined?.status, 503, `the pipelined late request got ${JSON.stringify(pipelined)}`);
      assert.equal(JSON.parse(pipelined.body).error.code, 'server.closing', 'the 503 speaks the API error shape');

      const { code, signal } = await server.exited;
      const closeMs = Date.now() - signalledAt;
      assert.equal(code, 0, `exit code ${code} / ${signal}; stdout: ${server.stdout().slice(-1500)}; stderr: ${server.stderr().slice(-1000)}`);
      conns.forEach((c) => c.destroy());

      const wal = `${dbPath}-wal`;
      const walLeft = existsSync(wal) ? statSync(wal).size : 0;
      assert.equal(walLeft, 0, 'the WAL was checkpointed and removed');
      const db = new Database(dbPath, { readonly: true });
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
        const pole = db.prepare('SELECT name, payment_terms_days AS terms, late_penalty_rate_bp AS penalty FROM pole WHERE id = 1').get() as { name: string; terms: number; penalty: number };
        assert.deepEqual(pole, { name: 'Pôle en vol', terms: 45, penalty: 1500 }, 'the in-flight writes were kept, the late one never ran');
      } finally {
        db.close();
      }
      console.log(
        `graceful shutdown: 3 in-flight requests completed, new connections after SIGTERM → ${late}, pipelined late request → ${pipelined.status}, exit 0 in ${closeMs} ms, WAL ${walLeft} bytes, integrity ok`,
      );
    } finally {
      if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
    }
  });
});
