import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWindowCounter } from '../../server/auth/rate-limit';

describe('login rate limit window', () => {
  it('limits after `limit` hits within the window and frees the key as hits age out', () => {
    const counter = createWindowCounter(3, 60_000);
    for (const t of [0, 10_000, 20_000]) {
      assert.equal(counter.retryAfterSeconds('k', t), 0);
      counter.hit('k', t);
    }
    assert.equal(counter.retryAfterSeconds('k', 30_000), 30, 'the oldest hit frees a slot at 60 s');
    assert.equal(counter.retryAfterSeconds('other', 30_000), 0, 'keys are independent');
    assert.equal(counter.retryAfterSeconds('k', 60_000), 0);
  });

  it('reset forgets a key', () => {
    const counter = createWindowCounter(1, 60_000);
    counter.hit('k', 0);
    assert.ok(counter.retryAfterSeconds('k', 1) > 0);
    counter.reset('k');
    assert.equal(counter.retryAfterSeconds('k', 1), 0);
  });
});
