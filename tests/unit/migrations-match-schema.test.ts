/**
 * db/schema (what the code queries) and db/migrations (what databases get) must say the same thing: a column
 * added to the schema without its generated migration type-checks and then fails at run time. drizzle-kit
 * generates into a scratch copy of the migrations and must find nothing to do; `drizzle-kit check` must find the
 * migration history consistent (no two snapshots claiming the same parent).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs');
// drizzle-kit resolves `out` against the working directory, so the scratch copy lives inside the project.
const scratch = mkdtempSync(join(ROOT, '.drizzle-check-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('migrations and schema', () => {
  it('drizzle-kit generates nothing new from db/schema over the committed migrations', () => {
    const out = join(scratch, 'migrations');
    cpSync(join(ROOT, 'db', 'migrations'), out, { recursive: true });
    const before = readdirSync(out).sort();
    const config = join(scratch, 'drizzle.config.ts');
    writeFileSync(
      config,
      `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './db/schema/index.ts', out: './${basename(scratch)}/migrations' });\n`,
    );
    const log = run(['generate', '--config', config]);
    assert.deepEqual(readdirSync(out).sort(), before, `db/schema has changes without a migration:\n${log.slice(-2000)}`);
    assert.match(log, /No schema changes/);
  });

  it('drizzle-kit check finds the migration history consistent', () => {
    assert.match(run(['check']), /Everything's fine/);
  });
});
