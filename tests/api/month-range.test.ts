import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, login, seedPole } from '../helpers/app';

describe('months', () => {
  it('are limited to 2000-01 … 2100-12 wherever the API takes one', async () => {
    const t = await buildTestApp();
    try {
      const pole = await seedPole(t.store);
      const cookie = await login(t.app, pole.coordinator);
      for (const month of ['0000-01', '1999-12', '2101-01', '9999-12']) {
        for (const url of [`/api/allocations?month=${month}`, `/api/statements/${month}/${pole.memberA}/pdf`]) {
          const res = await t.app.inject({ url, headers: { cookie } });
          assert.equal(res.statusCode, 400, `${url}: ${res.statusCode}`);
        }
      }
      for (const month of ['2000-01', '2026-11', '2100-12']) {
        const res = await t.app.inject({ url: `/api/allocations?month=${month}`, headers: { cookie } });
        assert.equal(res.statusCode, 200, `${month}: ${res.body.slice(0, 200)}`);
      }
    } finally {
      await t.close();
    }
  });
});
