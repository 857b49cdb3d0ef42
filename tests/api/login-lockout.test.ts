import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from '../../server/auth/ip';
import { buildTestApp, seedPole, TEST_PASSWORD, type TestApp } from '../helpers/app';

/**
 * Login throttling that outsiders cannot turn into a lock-out (OWASP device cookies): failures from unknown
 * devices never stop the owner's known device, and an outsider still gets a bounded number of guesses.
 */
const attempt = (t: TestApp, email: string, password: string, remoteAddress: string, cookie?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { host: '127.0.0.1:3000', ...(cookie ? { cookie } : {}) }, payload: { email, password } });

/** 1,000 attackers' addresses: IPv4 from many networks, and IPv6 rotating inside a few /64s. */
const attackerAddress = (i: number) =>
  i % 2 === 0 ? `198.${18 + (i % 2)}.${(i >> 8) & 255}.${i & 255}` : `2001:db8:${(i % 5).toString(16)}:7::${(i * 7919).toString(16)}`;

describe('login lock-out resistance', () => {
  it('groups IPv6 addresses by /64', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  });

  it('1,000 wrong attempts from many addresses do not stop the owner on a known device; guesses stay bounded per hour', async () => {
    // The production limits (10 guesses per account per 15 min from unknown devices, 30 failures per address).
    const t = await buildTestApp({ config: { loginMaxFailuresPerAccount: 10, loginMaxAttemptsPerIp: 30, loginWindowMs: 15 * 60_000 } });
    try {
      const pole = await seedPole(t.store);
      const owner = pole.coordinator;
      // The owner logged in from this browser before: it holds a device cookie.
      const first = await attempt(t, owner, TEST_PASSWORD, '192.0.2.50');
      assert.equal(first.statusCode, 200);
      const device = ([] as string[]).concat(first.headers['set-cookie'] ?? []).find((c) => c.startsWith('mutualise_device='));
      assert.ok(device, 'a device cookie is issued at login');
      const deviceCookie = device.split(';')[0]!;

      let checked = 0; // attempts whose password was actually verified (401), the rest were refused unchecked (429)
      let refused = 0;
      const startedAt = t.clock.now();
      for (let i = 0; i < 1000; i++) {
        // Spread over an hour: 1,000 attempts, one every 3.6 s.
        t.clock.set(startedAt + Math.floor((i * 3_600_000) / 1000));
        const res = await attempt(t, owner, `guess-${i}`, attackerAddress(i));
        if (res.statusCode === 401) checked++;
        else if (res.statusCode === 429) refused++;
        else assert.fail(`unexpected ${res.statusCode}`);
        if (i % 250 === 249) {
          const mine = await attempt(t, owner, TEST_PASSWORD, '192.0.2.50', deviceCookie);
          assert.equal(mine.statusCode, 200, `the owner's known device logs in during the attack (after ${i + 1} attempts)`);
        }
      }
      // A sliding window of 15 minutes holding at most 10 guesses: at most 10 × 4 guesses in an hour (+10 at the edge).
      assert.ok(checked <= 50, `${checked} guesses checked in an hour`);
      assert.ok(checked >= 10, 'the limit is not zero: real users get their tries');
      assert.equal(checked + refused, 1000);
      console.log(`lock-out: 1,000 attempts over an hour from 1,000 addresses → ${checked} passwords checked, ${refused} refused unchecked; owner's known device: 4/4 logins`);

      // An unknown device of the owner waits for the window, then gets in once the attack stops.
      const locked = await attempt(t, owner, TEST_PASSWORD, '192.0.2.77');
      assert.equal(locked.statusCode, 429);
      assert.ok(Number(locked.headers['retry-after']) <= 15 * 60);
      t.clock.advance(15 * 60_000 + 1);
      assert.equal((await attempt(t, owner, TEST_PASSWORD, '192.0.2.77')).statusCode, 200, 'after the delay');
    } finally {
      await t.close();
    }
  });

  it('one address (or /64) gets a bounded number of failures whatever the accounts; a device cookie is bound to its account and password', async () => {
    const t = await buildTestApp({ config: { loginMaxFailuresPerAccount: 10, loginMaxAttemptsPerIp: 30 } });
    try {
      const pole = await seedPole(t.store);
      let checked = 0;
      for (let i = 0; i < 100; i++) {
        const res = await attempt(t, `spray${i}@test.fr`, 'wrong-wrong', `2001:db8:aa:bb::${i.toString(16)}`);
        if (res.statusCode === 401) checked++;
      }
      assert.equal(checked, 30, 'the /64 is one address');
      const ok = await attempt(t, pole.userA, TEST_PASSWORD, '192.0.2.1');
      const device = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).find((c) => c.startsWith('mutualise_device='))!.split(';')[0]!;
      // user A's device cookie does not make another account's attempts "known".
      for (let i = 0; i < 12; i++) await attempt(t, pole.userB, 'wrong-wrong', `192.0.2.${100 + i}`, device);
      assert.equal((await attempt(t, pole.userB, TEST_PASSWORD, '192.0.2.200', device)).statusCode, 429);
      // A forged or tampered device cookie counts as unknown.
      const tampered = device.slice(0, -2) + (device.endsWith('A') ? 'BB' : 'AA');
      for (let i = 0; i < 12; i++) await attempt(t, pole.userA, 'wrong-wrong', `192.0.2.${150 + i}`);
      assert.equal((await attempt(t, pole.userA, TEST_PASSWORD, '192.0.2.201', tampered)).statusCode, 429);
      assert.equal((await attempt(t, pole.userA, TEST_PASSWORD, '192.0.2.201', device)).statusCode, 200, 'the genuine one works');
    } finally {
      await t.close();
    }
  });
});
