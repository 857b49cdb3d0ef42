import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Helpers for the suites that run the server or a close in a child process. */

export const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/**
 * The command that runs a child fixture (a path under ROOT), bundled once with esbuild (tsx's own dependency):
 * ~0.3 s per start instead of ~2 s through tsx. The caller removes the bundle (its first element) when done.
 */
export async function bundledChild(fixture: string): Promise<string[]> {
  const entry = join(ROOT, fixture);
  try {
    const esbuild = await import('esbuild');
    const outDir = join(ROOT, 'node_modules/.cache/mutualise-proof');
    mkdirSync(outDir, { recursive: true });
    const name = fixture.replace(/^.*\//, '').replace(/\.ts$/, '');
    const outfile = join(outDir, `${name}-${process.pid}.mjs`);
    esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'silent' });
    return [outfile];
  } catch {
    return ['--import', 'tsx', entry];
  }
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mutualise-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `condition` every few ms until it holds; fails (never passes) after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `re` (rejects after `ms` or when the process exits first). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  proc.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const m = out.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, ms = 30_000) {
      const m = out.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stdout: ${out.slice(-500)}; stderr: ${err.slice(-1500)}`)), ms);
        void exited.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before ${re}; stdout: ${out.slice(-500)}; stderr: ${err.slice(-1500)}`)));
        waiters.push({
          re,
          resolve: (match) => {
            clearTimeout(timer);
            resolve(match);
          },
        });
      });
    },
  };
}

/** Where a child is killed (kill -9): by itself, at a write or right after its commit as `env` tells it, or from outside `delayMs` after it printed `ready`. */
export interface KillPoint {
  label: string;
  env: Record<string, string>;
  delayMs?: number;
}

/**
 * Runs a child on a fresh copy of `pristine` at `path` and kills it at `point`; resolves once it has ended,
 * with how it ended (a timed kill can come after the child finished: exit code 0, no signal).
 */
export async function killAt(
  point: KillPoint,
  files: { pristine: string; path: string },
  run: (path: string, env: Record<string, string>) => Child,
): Promise<{ child: Child; exit: { code: number | null; signal: NodeJS.Signals | null } }> {
  copyFileSync(files.pristine, files.path);
  const child = run(files.path, point.env);
  if (point.delayMs !== undefined) {
    await child.waitFor(/ready/);
    await new Promise((r) => setTimeout(r, point.delayMs));
    child.proc.kill('SIGKILL');
  }
  return { child, exit: await child.exited };
}

export interface RawResponse {
  status: number;
  body: string;
}

/**
 * A raw HTTP/1.1 connection, so a test controls exactly when each byte goes out (a request left half sent
 * stays in flight) and can pipeline requests on one connection.
 */
export function rawConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  const responses: RawResponse[] = [];
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // Parse complete responses (Content-Length framed: Fastify's JSON answers).
    for (;;) {
      const headEnd = buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) break;
      const head = buffer.slice(0, headEnd);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (Buffer.byteLength(buffer.slice(headEnd + 4)) < length) break;
      const bodyBytes = Buffer.from(buffer.slice(headEnd + 4)).subarray(0, length);
      responses.push({ status: Number(head.split(' ')[1]), body: bodyBytes.toString() });
      buffer = Buffer.from(buffer.slice(headEnd + 4)).subarray(length).toString();
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    connected,
    write: (data: string | Buffer) => new Promise<void>((resolve) => socket.write(data, () => resolve())),
    responses,
    isClosed: () => closed,
    async waitResponses(n: number, ms = 10_000): Promise<RawResponse[]> {
      const until = Date.now() + ms;
      while (responses.length < n && Date.now() < until && !closed) await new Promise((r) => setTimeout(r, 10));
      return responses;
    },
    destroy: () => socket.destroy(),
  };
}

export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}
