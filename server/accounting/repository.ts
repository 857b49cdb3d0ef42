import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { LegalForm, ResourceKind } from '../../db/schema/enums';
import type { AccountMapping, MappingOverrides } from './mapping';

export interface MemberIdentity {
  id: number;
  name: string;
  siren: string;
  legalForm: LegalForm;
}

export interface MappingRow {
  overrides: MappingOverrides;
  updatedAt: number;
  updatedByUserId: number | null;
}

export interface ExportRecord {
  id: number;
  memberId: number;
  from: string;
  to: string;
  mapping: AccountMapping;
  filename: string;
  sha256: string;
  entryCount: number;
  createdAt: number;
  createdByUserId: number | null;
}

interface RawExport {
  id: number;
  member_id: number;
  from_date: string;
  to_date: string;
  mapping: string;
  filename: string;
  sha256: string;
  entry_count: number;
  created_at: number;
  created_by_user_id: number | null;
}

const toExport = (r: RawExport): ExportRecord => ({
  id: r.id,
  memberId: r.member_id,
  from: r.from_date,
  to: r.to_date,
  mapping: JSON.parse(r.mapping) as AccountMapping,
  filename: r.filename,
  sha256: r.sha256,
  entryCount: r.entry_count,
  createdAt: r.created_at,
  createdByUserId: r.created_by_user_id,
});

const EXPORT_COLUMNS = 'id, member_id, from_date, to_date, mapping, filename, sha256, entry_count, created_at, created_by_user_id';

function prepare(sqlite: Sqlite) {
  return {
    member: sqlite.prepare('SELECT id, name, siren, legal_form AS legalForm FROM members WHERE id = ?') as Statement<[number], MemberIdentity>,
    mapping: sqlite.prepare('SELECT overrides, updated_at, updated_by_user_id FROM accounting_mappings WHERE member_id = ?') as Statement<
      [number],
      { overrides: string; updated_at: number; updated_by_user_id: number | null }
    >,
    upsertMapping: sqlite.prepare(
      `INSERT INTO accounting_mappings (member_id, overrides, updated_at, updated_by_user_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET overrides = excluded.overrides, updated_at = excluded.updated_at, updated_by_user_id = excluded.updated_by_user_id`,
    ),
    resourceKinds: sqlite.prepare('SELECT id, kind FROM resources') as Statement<[], { id: number; kind: ResourceKind }>,
    latestExport: sqlite.prepare(
      `SELECT ${EXPORT_COLUMNS} FROM accounting_exports WHERE member_id = ? AND from_date = ? AND to_date = ? ORDER BY id DESC LIMIT 1`,
    ) as Statement<[number, string, string], RawExport>,
    insertExport: sqlite.prepare(
      `INSERT INTO accounting_exports (member_id, from_date, to_date, mapping, filename, sha256, body, entry_count, created_at, created_by_user_id)
       VALUES (@memberId, @from, @to, @mapping, @filename, @sha256, @body, @entryCount, @createdAt, @createdByUserId) RETURNING id`,
    ) as Statement<[Record<string, unknown>], { id: number }>,
    exportsOf: sqlite.prepare(`SELECT ${EXPORT_COLUMNS} FROM accounting_exports WHERE member_id = ? ORDER BY id DESC`) as Statement<[number], RawExport>,
    exportBody: sqlite.prepare(`SELECT ${EXPORT_COLUMNS}, body FROM accounting_exports WHERE id = ? AND member_id = ?`) as Statement<
      [number, number],
      RawExport & { body: string }
    >,
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

export function accountingRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    member: (id: number) => s.member.get(id),
    mapping(memberId: number): MappingRow | undefined {
      const r = s.mapping.get(memberId);
      return r ? { overrides: JSON.parse(r.overrides) as MappingOverrides, updatedAt: r.updated_at, updatedByUserId: r.updated_by_user_id } : undefined;
    },
    saveMapping(memberId: number, overrides: MappingOverrides, at: number, userId: number | null) {
      s.upsertMapping.run(memberId, JSON.stringify(overrides), at, userId);
    },
    resourceKinds: () => new Map(s.resourceKinds.all().map((r) => [r.id, r.kind])),
    latestExport(memberId: number, from: string, to: string) {
      const r = s.latestExport.get(memberId, from, to);
      return r ? toExport(r) : undefined;
    },
    insertExport(e: Omit<ExportRecord, 'id'> & { body: string }): number {
      return s.insertExport.get({ ...e, mapping: JSON.stringify(e.mapping) })!.id;
    },
    exportsOf: (memberId: number) => s.exportsOf.all(memberId).map(toExport),
    exportWithBody(id: number, memberId: number) {
      const r = s.exportBody.get(id, memberId);
      return r ? { ...toExport(r), body: r.body } : undefined;
    },
  };
}
