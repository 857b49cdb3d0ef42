import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { CostNature, ResourceKind } from '../../db/schema/enums';

export interface CostRecord {
  id: number;
  resourceId: number;
  month: string;
  label: string;
  amountCents: number;
  vatRateBp: number;
  inputVatCents: number;
  /** Staff resources: paid hours of the employee this entry covers, in hundredths of an hour. */
  paidHoursHundredths: number | null;
  nature: CostNature;
  recurring: boolean;
  carriedFromId: number | null;
}

type RawCost = Omit<CostRecord, 'recurring'> & { recurring: number };

const COLUMNS = `id, resource_id AS resourceId, month, label, amount_cents AS amountCents, vat_rate_bp AS vatRateBp,
  input_vat_cents AS inputVatCents, paid_hours_hundredths AS paidHoursHundredths, nature,
  recurring, carried_from_id AS carriedFromId`;

function prepare(sqlite: Sqlite) {
  return {
    byId: sqlite.prepare(`SELECT ${COLUMNS} FROM costs WHERE id = ?`) as Statement<[number], RawCost>,
    list: sqlite.prepare(
      `SELECT ${COLUMNS} FROM costs WHERE (@month IS NULL OR month = @month) AND (@resourceId IS NULL OR resource_id = @resourceId)
        ORDER BY month, resource_id, id`,
    ) as Statement<[{ month: string | null; resourceId: number | null }], RawCost>,
    insert: sqlite.prepare(
      `INSERT INTO costs (resource_id, month, label, amount_cents, vat_rate_bp, input_vat_cents, paid_hours_hundredths, nature, recurring, carried_from_id,
                          created_by_user_id, created_at, updated_at)
       VALUES (@resourceId, @month, @label, @amountCents, @vatRateBp, @inputVatCents, @paidHoursHundredths, @nature, @recurring, @carriedFromId,
               @userId, @now, @now) RETURNING id`,
    ) as Statement<[Record<string, unknown>], { id: number }>,
    update: sqlite.prepare(
      `UPDATE costs SET resource_id = @resourceId, month = @month, label = @label, amount_cents = @amountCents, vat_rate_bp = @vatRateBp,
         input_vat_cents = @inputVatCents, paid_hours_hundredths = @paidHoursHundredths, nature = @nature, recurring = @recurring,
         updated_at = @now WHERE id = @id`,
    ),
    remove: sqlite.prepare('DELETE FROM costs WHERE id = ?'),
    resourceBearer: sqlite.prepare('SELECT bearer_member_id FROM resources WHERE id = ?').pluck() as Statement<[number], number>,
    resourceTerms: sqlite.prepare('SELECT kind, management_fees_agreed AS managementFeesAgreed FROM resources WHERE id = ?') as Statement<
      [number],
      { kind: ResourceKind; managementFeesAgreed: number }
    >,
    carried: sqlite.prepare('SELECT 1 FROM costs WHERE carried_from_id = ? AND month = ?').pluck() as Statement<[number, string], number>,
    bornBy: sqlite.prepare('SELECT id FROM resources WHERE bearer_member_id = ?').pluck() as Statement<[number], number>,
    employeeOf: sqlite.prepare('SELECT id, name FROM employees WHERE resource_id = ?') as Statement<[number], { id: number; name: string }>,
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

const toRecord = (r: RawCost): CostRecord => ({ ...r, recurring: r.recurring === 1 });

export function costRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    find(id: number): CostRecord | undefined {
      const raw = s.byId.get(id);
      return raw ? toRecord(raw) : undefined;
    },
    list: (filter: { month?: string; resourceId?: number }) =>
      s.list.all({ month: filter.month ?? null, resourceId: filter.resourceId ?? null }).map(toRecord),
    insert(row: Omit<CostRecord, 'id'>, userId: number | null, now: number): number {
      return s.insert.get({ ...row, recurring: row.recurring ? 1 : 0, userId, now })!.id;
    },
    update(row: CostRecord, now: number) {
      s.update.run({ ...row, recurring: row.recurring ? 1 : 0, now });
    },
    remove(id: number) {
      s.remove.run(id);
    },
    /** The bearer of a resource, or undefined when the resource does not exist. */
    resourceBearer: (resourceId: number) => s.resourceBearer.get(resourceId),
    /** What the cost rules need of a resource: its kind and whether its lending agreement states management fees. */
    resourceTerms(resourceId: number): { kind: ResourceKind; managementFeesAgreed: boolean } | undefined {
      const r = s.resourceTerms.get(resourceId);
      return r ? { kind: r.kind, managementFeesAgreed: r.managementFeesAgreed === 1 } : undefined;
    },
    isCarried: (sourceId: number, month: string) => s.carried.get(sourceId, month) !== undefined,
    resourcesBornBy: (memberId: number) => s.bornBy.all(memberId),
    /** The employee whose time a staff resource is, if any: its costs are then its payroll figures. */
    employeeOfResource: (resourceId: number) => s.employeeOf.get(resourceId),
  };
}
