import { integer } from 'drizzle-orm/sqlite-core';

/** Instants are stored as integer milliseconds since the Unix epoch (UTC). */
export const instant = (name: string) => integer(name, { mode: 'number' });

export const createdAt = () => instant('created_at').notNull();
