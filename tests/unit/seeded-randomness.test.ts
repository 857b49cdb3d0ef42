import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const TESTS = join(import.meta.dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

/**
 * Every random test can be replayed: a test file that draws randomness (fast-check, Math.random) imports
 * tests/helpers/seed.ts, which prints its seed and takes PROOF_SEED; a helper that samples passes a seed.
 */
describe('seeded randomness', () => {
  it('every test file drawing random values goes through tests/helpers/seed.ts', () => {
    const problems: string[] = [];
    for (const path of files(TESTS)) {
      const rel = relative(TESTS, path);
      if (rel === join('helpers', 'seed.ts') || rel === join('unit', 'seeded-randomness.test.ts')) continue;
      const text = readFileSync(path, 'utf8');
      if (/Math\.random\(/.test(text)) problems.push(`${rel}: Math.random (use seededRandom() from helpers/seed)`);
      const drawsFastCheck = /\bfc\.(assert|check|sample|generate)\(/.test(text);
      if (!drawsFastCheck) continue;
      if (rel.endsWith('.test.ts') && !text.includes("helpers/seed'")) problems.push(`${rel}: uses fast-check without importing helpers/seed`);
      if (!rel.endsWith('.test.ts') && /fc\.sample\((?![^\n]*seed)/.test(text)) problems.push(`${rel}: fc.sample without a seed`);
    }
    assert.deepEqual(problems, []);
  });
});
