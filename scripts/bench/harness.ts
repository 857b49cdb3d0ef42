/**
 * Shared plumbing of the benchmarks: child processes (pinned to a core with taskset where the machine allows),
 * progress lines on stderr, repeated runs, the machine's description. Figures go to stdout; progress goes to
 * stderr so that the last line on stdout stays the JSON summary.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..', '..');

/** True when the module at `url` is the script node was started with (so each bench can run alone). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}

/** Runs per figure; at least 5 (the floor), more with BENCH_RUNS; fewer only while profiling. */
export const RUNS = Math.max(process.env.BENCH_CPU_PROF ? 1 : 5, Number(process.env.BENCH_RUNS ?? 5) || 5);

let tasksetOk: boolean | undefined;
/** taskset exists and the machine has at least two cores to pin server and load apart. */
export function canPin(): boolean {
  if (tasksetOk === undefined) {
    tasksetOk = availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  }
  return tasksetOk;
}

export interface NodeChild {
  child: ChildProcess;
  /** Resolves with the first JSON object the child prints on stdout. */
  firstJson: Promise<Record<string, unknown>>;
  /** Every JSON object printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves with the last JSON object the child printed, when it exits 0; rejects otherwise. */
  result: Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script> …args`, pinned to `core` when possible. */
export function startNode(script: string, args: string[], options: { core?: number; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): NodeChild {
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there (read it with profile-summary.ts).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const nodeCmd = [process.execPath, ...prof, ...(options.nodeArgs ?? []), '--import', 'tsx', join(BENCH_DIR, script), ...args];
  const [cmd, ...cmdArgs] = options.core !== undefined && canPin() ? ['taskset', '-c', String(options.core), ...nodeCmd] : nodeCmd;
  const child = spawn(cmd!, cmdArgs, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', MUTUALISE_LOG_LEVEL: 'silent', ...options.env },
  });
  let out = '';
  let err = '';
  let resolveFirst!: (v: Record<string, unknown>) => void;
  let rejectFirst!: (e: Error) => void;
  const firstJson = new Promise<Record<string, unknown>>((res, rej) => ((resolveFirst = res), (rejectFirst = rej)));
  let last: Record<string, unknown> | undefined;
  const lines: Record<string, unknown>[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      if (line.startsWith('{')) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (last === undefined) resolveFirst(parsed);
          last = parsed;
          lines.push(parsed);
        } catch {
          /* not a JSON line */
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-8000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  });
  const result = new Promise<Record<string, unknown>>((res, rej) => {
    child.on('exit', (code, signal) => {
      const failure = new Error(`${script} ${args.join(' ')} exited with ${code ?? signal}\n${err}`);
      rejectFirst(failure);
      if (code === 0 && last !== undefined) res(last);
      else rej(failure);
    });
  });
  result.catch(() => {}); // callers that only use firstJson must not see an unhandled rejection
  return {
    child,
    firstJson,
    lines,
    result,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a script to completion and returns the last JSON object it printed. */
export async function runNode(script: string, args: string[], options: { core?: number; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  return startNode(script, args, options).result;
}

/** A progress line on stderr: redrawn in place on a terminal, a line every ~10 % otherwise. */
export function progress(label: string, total: number) {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let lastDecile = -1;
  let lastDraw = 0;
  const draw = (done: number, final = false) => {
    const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (tty) {
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}% ${done}/${total} ${secs}s\x1b[K`);
      if (final) process.stderr.write('\n');
    } else {
      const decile = Math.floor(pct / 10);
      if (decile !== lastDecile || final) {
        lastDecile = decile;
        process.stderr.write(`  ${label}: ${pct.toFixed(0)}% (${done}/${total}, ${secs}s)\n`);
      }
    }
  };
  return {
    tick(done: number) {
      const now = performance.now();
      if (now - lastDraw < 200 && done < total) return;
      lastDraw = now;
      draw(done);
    },
    done() {
      draw(total, true);
    },
  };
}

/** A one-line status on stderr (phases). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

export interface Machine {
  nproc: number;
  cpu: string;
  node: string;
  pinned: boolean;
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1]!.trim();
  } catch {
    /* not Linux */
  }
  return { nproc: availableParallelism(), cpu, node: process.version, pinned: canPin() };
}

/** Peak resident set size of this process so far, in MB (VmHWM on Linux, else resourceUsage). */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Current resident set size in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));
