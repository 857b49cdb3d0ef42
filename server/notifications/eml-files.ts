import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { OutboxRow } from './repository';

/** Where .eml files go without SMTP: `MUTUALISE_OUTBOX_DIR`, else `outbox/` beside the database (`data/outbox` in memory). */
export function outboxDirOf(config: { outboxDir: string | null; dbPath: string }): string {
  return config.outboxDir ?? (config.dbPath === ':memory:' ? join('data', 'outbox') : join(dirname(config.dbPath), 'outbox'));
}

/** The file a mail is written to: its Message-ID, reduced to characters safe in a file name (no separator, no « .. » alone). */
export function emlFileName(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9.@_-]+/g, '_').replace(/^_+|_+$/g, '')}.eml`;
}

/** A digest's Message-ID names the rows it carried: `<digest.12-15-18.u3@host>` (the list cut at 60 characters). */
const DIGEST_FILE = /^digest\.([0-9-]+)\.u\d+@.+\.eml$/;

/**
 * The .eml files of outbox rows, found in one listing of the directory: a row's own file (named by its Message-ID),
 * or for a row sent in a daily digest the digest's file. Only names read from the directory or built by
 * `emlFileName` are ever joined to it, and the result must stay inside it.
 */
export function emlFilesOf(dir: string, rows: readonly Pick<OutboxRow, 'id' | 'messageId' | 'digest' | 'status'>[]): Map<number, string> {
  const found = new Map<number, string>();
  if (!existsSync(dir)) return found;
  const names = new Set(readdirSync(dir).filter((n) => n.endsWith('.eml')));
  const digestOf = new Map<number, string>();
  for (const name of names) {
    const list = DIGEST_FILE.exec(name)?.[1];
    if (!list) continue;
    const ids = list.split('-');
    // The last id of a list cut at 60 characters may be cut too: it names nothing for sure.
    if (list.length >= 60) ids.pop();
    for (const id of ids) if (id) digestOf.set(Number(id), name);
  }
  for (const row of rows) {
    if (row.status !== 'sent') continue;
    const name = row.digest ? digestOf.get(row.id) : emlFileName(row.messageId);
    if (name && names.has(name)) found.set(row.id, name);
  }
  return found;
}

/** The bytes of one .eml file of the directory, refusing any name that would leave it. */
export function readEml(dir: string, name: string): Buffer {
  const root = resolve(dir);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep) || name.includes('/') || name.includes('\\')) throw new Error(`not an outbox file: ${name}`);
  return readFileSync(path);
}
