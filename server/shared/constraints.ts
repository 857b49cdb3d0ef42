import { AppError } from './errors';

/**
 * The one place a database constraint that another request won (two requests checked "free", both wrote)
 * becomes the 409 the service would have answered had it seen the other write first.
 */
const UNIQUE_CODES: Record<string, { code: string; message: string }> = {
  'users.email': { code: 'user.email_taken', message: 'A user with this e-mail exists' },
  'members.siren': { code: 'member.siren_taken', message: 'A member with this SIREN exists' },
  'members.invoice_prefix': { code: 'member.prefix_taken', message: 'This invoice prefix is taken' },
};

/** The better-sqlite3 error under drizzle's wrapping, if any. */
function sqliteError(error: unknown): { code: string; message: string } | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return { code, message: String((e as Error).message) };
  }
  return null;
}

/** A UNIQUE / PRIMARY KEY violation as a typed 409, or null for any other error. */
export function constraintConflict(error: unknown): AppError | null {
  const found = sqliteError(error);
  if (!found || (found.code !== 'SQLITE_CONSTRAINT_UNIQUE' && found.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY')) return null;
  const columns = /constraint failed: (.+)$/.exec(found.message)?.[1]?.split(', ') ?? [];
  const known = columns.map((c) => UNIQUE_CODES[c]).find(Boolean);
  return new AppError(409, known?.code ?? 'conflict.duplicate', known?.message ?? 'This already exists (another request wrote it first)', { constraint: columns.join(', ') || undefined });
}
