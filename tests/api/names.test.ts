import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, login, seedPole, tableCounts } from '../helpers/app';

describe('names', () => {
  it('refuse control characters, line breaks, bidi overrides and names of spaces; accept real names', async () => {
    const t = await buildTestApp();
    try {
      const pole = await seedPole(t.store);
      const cookie = await login(t.app, pole.coordinator);
      const rename = (url: string, name: string) => t.app.inject({ method: 'PATCH', url, headers: { cookie }, payload: { name } });
      const targets = [`/api/users/${pole.userIds[pole.userA]}`, `/api/members/${pole.memberA}`, '/api/pole'];
      const bad = ['x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:INJECTED', 'nul\u0000byte', 'tab\there', 'rlo \u202Eexe.txt', 'isolate \u2066x\u2069', '     ', '\u00a0\u2003', 'line\u2028separator'];
      const before = tableCounts(t.store);
      const names = () => t.store.sqlite.prepare('SELECT (SELECT name FROM users WHERE id = ?) AS u, (SELECT name FROM members WHERE id = ?) AS m, (SELECT name FROM pole) AS p').get(pole.userIds[pole.userA], pole.memberA);
      const original = names();
      for (const url of targets) {
        for (const name of bad) {
          const res = await rename(url, name);
          assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(name)}: ${res.statusCode} ${res.body}`);
          assert.equal(res.json().error.code, 'validation.failed');
        }
      }
      assert.deepEqual(names(), original, 'nothing was written');
      assert.deepEqual(tableCounts(t.store), before);
      for (const [url, name] of [[targets[0]!, 'Zoë d’Arvor-Lefèvre'], [targets[1]!, 'Association « Les Arts » (44)'], [targets[2]!, 'Pôle مركز 文化']] as const) {
        const res = await rename(url, `  ${name}  `);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().name, name, 'stored trimmed');
      }
    } finally {
      await t.close();
    }
  });
});
