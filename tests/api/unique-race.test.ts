import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, login, seedPole } from '../helpers/app';

describe('UNIQUE races', () => {
  it('two parallel changes to the same e-mail: one 200, one 409 with the service’s own code, never a 500', async () => {
    const t = await buildTestApp();
    try {
      const pole = await seedPole(t.store);
      const cookie = await login(t.app, pole.coordinator);
      for (let round = 0; round < 3; round++) {
        const email = `same${round}@test.fr`;
        // A password makes each request await its hash between the "is it free?" check and the write.
        const [a, b] = await Promise.all(
          [pole.userA, pole.userB].map((user) =>
            t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[user]}`, headers: { cookie }, payload: { email, password: 'a long enough password' } }),
          ),
        );
        const statuses = [a!.statusCode, b!.statusCode].sort();
        assert.deepEqual(statuses, [200, 409], `${a!.body} | ${b!.body}`);
        const refused = [a!, b!].find((r) => r.statusCode === 409)!;
        assert.equal(refused.json().error.code, 'user.email_taken');
        // Reset for the next round.
        for (const user of [pole.userA, pole.userB]) {
          await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[user]}`, headers: { cookie }, payload: { email: user } });
        }
      }
    } finally {
      await t.close();
    }
  });
});
