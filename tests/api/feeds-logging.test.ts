import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { openStore } from '../../db/index';
import { buildApp } from '../../server/app';
import { manualClock } from '../../server/shared/clock';
import { cookieFrom, seedPole, TEST_PASSWORD } from '../helpers/app';

describe('request logs', () => {
  it('never carry a feed token, valid or not, whatever logs the request', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const store = openStore(':memory:');
    const app = await buildApp({ store, clock: manualClock('2026-11-16T10:00:00+01:00'), config: { serveClient: false }, logger: { level: 'info', stream } });
    try {
      const pole = await seedPole(store);
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } });
      const created = await app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: cookieFrom(login) }, payload: { scope: 'member', memberId: pole.memberA } });
      assert.equal(created.statusCode, 201, created.body);
      const path = new URL(created.json().url).pathname;
      const token = path.slice('/ical/'.length, -'.ics'.length);
      assert.equal((await app.inject({ url: path })).statusCode, 200);
      const wrong = `/ical/${token.slice(0, -4)}zzzz.ics`;
      assert.equal((await app.inject({ url: wrong })).statusCode, 404);
      const log = lines.join('');
      assert.match(log, /\/ical\/….ics/, 'the feed requests were logged');
      assert.ok(!log.includes(token), 'the valid token is not in the logs');
      assert.ok(!log.includes(token.slice(0, -4)), 'nor the mistyped one');
    } finally {
      await app.close();
      store.close();
    }
  });
});
