/** The outbox benches' pole: one member, its admin and one room, on a fresh store; contexts with and without notifications. */
import { openStore } from '../../db/index';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { Actor } from '../../server/shared/actor';
import { systemClock } from '../../server/shared/clock';

export function outboxBenchPole(path: string) {
  const store = openStore(path);
  const { sqlite } = store;
  const now = Date.now();
  sqlite.prepare("INSERT INTO members (name, legal_form, siren, siret, address, billing_email, invoice_prefix, joined_on, created_at) VALUES ('Bench', 'association', '732829320', '73282932000074', '1 rue', 'b@bench.test', 'BENCH', '2025-01-01', ?)").run(now);
  const memberId = sqlite.prepare('SELECT id FROM members').pluck().get() as number;
  const userId = sqlite.prepare("INSERT INTO users (email, name, role, member_id, password_hash, created_at) VALUES ('u@bench.test', 'Bench user', 'member_admin', ?, 'x', ?) RETURNING id").pluck().get(memberId, now) as number;
  const resourceId = sqlite.prepare("INSERT INTO resources (name, kind, capacity, bearer_member_id, horizon_days, created_at) VALUES ('Salle', 'room', 1, ?, 3650, ?) RETURNING id").pluck().get(memberId, now) as number;
  const actor: Actor = { userId, role: 'member_admin', memberId, email: 'u@bench.test', name: 'Bench user', sessionId: 'bench' };
  const ctxOf = (notifications: boolean): AppContext => ({ store, db: store.db, sqlite, clock: systemClock, config: { ...defaultConfig, dbPath: path, demo: false, notifications } });
  return { store, sqlite, memberId, resourceId, actor, ctxOf };
}
