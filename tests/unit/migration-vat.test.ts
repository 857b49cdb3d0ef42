import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_FOLDER } from '../../db/index';

/** Migration 0009 (issue #10) on a database written before it: every row kept, the old regime mapped. */
describe('migration 0009_vat_statuses', () => {
  it('maps exonere_261B to eligibility, splits addresses, names the grouping and keeps every row and trigger', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mutualise-mig-'));
    try {
      const before = join(dir, 'before');
      cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
      const journalPath = join(before, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0009');
      writeFileSync(journalPath, JSON.stringify(journal));

      const sqlite = new Database(':memory:');
      sqlite.pragma('foreign_keys = ON');
      const db = drizzle(sqlite);
      migrate(db, { migrationsFolder: before });
      const member = sqlite.prepare(
        `INSERT INTO members (name, legal_form, siren, siret, address, billing_email, vat_regime, vat_number, weight, invoice_prefix, joined_on, created_at)
         VALUES (?, ?, ?, ?, ?, 'x@y.fr', ?, ?, 1, ?, '2024-01-01', 0)`,
      );
      member.run('Pôle', 'association', '732829320', '73282932000074', '12 quai de la Fosse, 44000 Nantes', 'exonere_261B', null, 'POLE');
      member.run('SCOP', 'scop', '552081317', '55208131766522', 'Bât. B, 3 rue X, 44800 Saint-Herblain', 'assujetti', 'FR03552081317', 'SCOP');
      member.run('École', 'association', '443061841', '44306184100047', 'Lieu-dit La Motte', 'exonere_261B', null, 'ECOLE');
      member.run('Commune', 'local_authority', '542051180', '54205118000066', '1 place de la Mairie, 44000 Nantes', 'non_assujetti', null, 'COMM');
      sqlite.prepare("INSERT INTO pole (id, name, carrier_member_id) VALUES (1, 'Pôle', 1)").run();
      sqlite.prepare("INSERT INTO resources (name, kind, capacity, bearer_member_id, created_at) VALUES ('Salle', 'room', 1, 1, 0)").run();
      const cost = sqlite.prepare(
        "INSERT INTO costs (resource_id, month, label, amount_cents, vat_rate_bp, nature, created_at, updated_at) VALUES (1, ?, 'Loyer', ?, 2000, 'rent_or_lease', 0, 0)",
      );
      cost.run('2026-09', 10_001);
      cost.run('2026-10', 10_001);
      sqlite.prepare("INSERT INTO closings (month, closed_at) VALUES ('2026-09', 0)").run();
      const triggers = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();

      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });

      const rows = sqlite
        .prepare('SELECT id, address, postal_code, city, country_code, vat_status, eligible_261b, public_body, vat_number FROM members ORDER BY id')
        .raw()
        .all();
      assert.deepEqual(rows, [
        [1, '12 quai de la Fosse', '44000', 'Nantes', 'FR', 'assujetti', 1, 0, null], // the carrier was exempt: it is the grouping
        [2, 'Bât. B, 3 rue X', '44800', 'Saint-Herblain', 'FR', 'assujetti', 0, 0, 'FR03552081317'],
        [3, 'Lieu-dit La Motte', null, null, 'FR', 'non_assujetti', 1, 0, null],
        [4, '1 place de la Mairie', '44000', 'Nantes', 'FR', 'non_assujetti', 0, 1, null],
      ]);
      assert.equal(sqlite.prepare('SELECT grouping_member_id FROM pole').pluck().get(), 1);
      // Open months get their input VAT from the supplier's rate; a closed month's costs stay frozen.
      assert.deepEqual(sqlite.prepare('SELECT month, input_vat_cents FROM costs ORDER BY month').raw().all(), [
        ['2026-09', 0],
        ['2026-10', 2_000],
      ]);
      assert.equal(sqlite.prepare('SELECT vat_rate_bp FROM resources').pluck().get(), 2000);
      // Later migrations may add triggers (the audit trail's); none of those present before may be lost.
      const after = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
      assert.deepEqual(triggers.filter((name) => !after.includes(name)), [], 'no trigger lost');
      assert.throws(() => sqlite.prepare("UPDATE costs SET amount_cents = 1 WHERE month = '2026-09'").run(), /month.closed/);
      assert.equal((sqlite.pragma('foreign_key_check') as unknown[]).length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
