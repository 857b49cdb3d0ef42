import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import fastJsonStringify from 'fast-json-stringify';
import { compiledSoFar, compileSerializer, compileValidator, makeAjv } from '../../server/plugins/validation';
import { freshlyMigratedInMemory, migratedInMemory } from '../../db/index';
import { buildTestApp } from '../helpers/app';
import { validArb, wrongTypeArb } from '../helpers/proof-arbitraries';
import { PROOF_SEED } from '../helpers/seed';

/**
 * Each test builds its own app on its own in-memory database, so the process keeps what does not depend on
 * the instance: compiled validators and serializers (keyed by the schema's content) and the migrated
 * database image. Shared state must give what the unshared path gives: these tests compare them.
 */
describe('per-process reuse in apps and stores built again', () => {
  it('every validator and serializer an app uses answers as a fresh compile of its schema', async () => {
    const t = await buildTestApp();
    await t.close();
    const { validators, serializers } = compiledSoFar();
    assert.ok(validators.length > 30 && serializers.length > 30, `${validators.length} validators, ${serializers.length} serializers`);
    const ctx = { ids: [1, 2, 3] };
    for (const [key, cached] of validators) {
      const [mode, json] = key.split('\u0000') as [string, string];
      const schema = JSON.parse(json) as Record<string, unknown>;
      const fresh = makeAjv(mode === 'coerce').compile(schema);
      fc.assert(
        fc.property(fc.oneof(validArb(schema, ctx), wrongTypeArb(schema), fc.jsonValue({ maxDepth: 2 })), (input) => {
          const [a, b] = [structuredClone(input), structuredClone(input)];
          assert.equal(cached(a), fresh(b), json);
          assert.deepEqual(a, b, 'defaults and coercions applied alike');
          assert.deepEqual(cached.errors ?? null, fresh.errors ?? null);
        }),
        { numRuns: 20, seed: PROOF_SEED },
      );
    }
    for (const [json, cached] of serializers) {
      const schema = JSON.parse(json) as Record<string, unknown>;
      const fresh = fastJsonStringify(schema) as (data: unknown) => string;
      fc.assert(
        fc.property(validArb(schema, ctx), (value) => {
          // A value the schema refuses throws in both (its message may name another path where one
          // sub-schema object is shared by two properties: fast-json-stringify names the first it compiled).
          const run = (f: (d: unknown) => string) => {
            try {
              return f(structuredClone(value));
            } catch {
              return 'threw';
            }
          };
          assert.equal(run(cached), run(fresh), json);
        }),
        { numRuns: 20, seed: PROOF_SEED },
      );
    }
  });

  it('keys compiled functions by content and mode: a copy shares, another schema or mode does not', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    const copy = structuredClone(schema);
    assert.equal(compileValidator(schema, false), compileValidator(copy, false));
    assert.notEqual(compileValidator(schema, false), compileValidator(schema, true));
    assert.equal(compileValidator(schema, false)({ n: '5' }), false, 'a body is not coerced');
    assert.equal(compileValidator(schema, true)({ n: '5' }), true, 'a query string is');
    assert.notEqual(compileValidator({ ...schema, required: [] }, false), compileValidator(schema, false));
    assert.equal(compileSerializer(schema), compileSerializer(copy));
  });

  it('opens in-memory stores from the migrated image: same schema, triggers and migration records as migrating, and private', () => {
    const dump = (sqlite: ReturnType<typeof migratedInMemory>) => ({
      master: sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
      migrations: sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id').all(),
      pragmas: [sqlite.pragma('foreign_keys', { simple: true }), sqlite.pragma('user_version', { simple: true }), sqlite.pragma('busy_timeout', { simple: true })],
    });
    const fresh = freshlyMigratedInMemory();
    const [a, b] = [migratedInMemory(), migratedInMemory()];
    try {
      assert.deepEqual(dump(a), dump(fresh));
      assert.deepEqual(dump(b), dump(fresh));
      a.exec("CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)");
      assert.equal(b.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").pluck().get(), 0, 'a write in one store is not in another');
    } finally {
      for (const s of [fresh, a, b]) s.close();
    }
  });
});
