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

  it('never carry a feed token spelled another way: %-escaped, upper case, doubled slashes', async () => {
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
      const token = new URL(created.json().url).pathname.slice('/ical/'.length, -'.ics'.length);
      const escaped = [...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
      const spellings = [
        `/ical/${token}%2Eics`,
        `/%69cal/${token}.ics`,
        `/ical/${token}.ICS`,
        `//ical/${token}.ics`,
        `/ical/${token.toUpperCase()}.ics`,
        `/ical/${escaped}.ics`,
        `/%2569cal/${token}.ics`,
        `/ical/${token}.ics?pastDays=oops`,
        `/ical/${token}%zz.ics`,
      ];
      for (const url of spellings) {
        const res = await app.inject({ url });
        assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
      }
      const log = lines.join('');
      let decoded = log;
      for (let i = 0; i < 3; i++) decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      assert.ok(!decoded.toLowerCase().includes(token.slice(4, -4)), `no form of the token in the logs:\n${log.split('\n').filter((l) => /ical/i.test(l)).slice(0, 5).join('\n')}`);
    } finally {
      await app.close();
      store.close();
    }
  });
});
