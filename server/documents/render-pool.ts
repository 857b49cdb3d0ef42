import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BUNDLED } from '../shared/paths';
import { runRenderJob, type RenderJob, type RenderResult } from './render-jobs';

/**
 * PDF rendering off the request thread. Rendering a document takes milliseconds of pure CPU (pdfkit, font
 * subsetting, deflate), so a close's hundreds of documents blocked every other request and used one core of
 * several. With `setRenderWorkers(n)` (the server and the close CLI use one per core), jobs go to n worker threads, each rendering one job at a time; with 0 (the default: tests, benches,
 * one-off scripts) they run in this thread. Output is the same bytes either way
 * (tests/api/render-workers.test.ts), because a job carries everything its rendering depends on.
 */

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
  /** Jobs in flight, awaited by a graceful stop. */
  jobs: Set<Promise<unknown>>;
}

let size = 0;
let slots: Slot[] = [];
let nextId = 1;

/**
 * The default for a server: one per core. The request thread only hands jobs out and stores results, so it
 * stays responsive; a close's documents use every core (one per core but one left a 2-core server's close
 * no faster than rendering on one thread).
 */
export const defaultRenderWorkers = () => Math.max(1, availableParallelism());

export function setRenderWorkers(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`render workers: a whole number ≥ 0, got ${n}`);
  size = n;
}

export const renderWorkers = () => size;

// The build runs dist/<server|scripts>/render-worker.js. The sources run the .ts file, through tsx's loader
// registered inside the thread (a --import of the parent does not reach worker threads).
function startWorker(): Worker {
  if (BUNDLED) return new Worker(new URL('./render-worker.js', import.meta.url));
  const source = new URL('./render-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

function spawn(): Slot {
  const slot: Slot = { worker: startWorker(), busy: 0, pending: new Map(), jobs: new Set() };
  slot.worker.unref();
  slot.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const p = slot.pending.get(message.id);
    if (!p) return;
    slot.pending.delete(message.id);
    slot.busy--;
    if (message.error !== undefined) p.reject(new Error(`render worker: ${message.error}`));
    else p.resolve(revive(message.result));
  });
  const fail = (error: Error) => {
    slots = slots.filter((s) => s !== slot);
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
  };
  slot.worker.on('error', fail);
  slot.worker.on('exit', (code) => fail(new Error(`render worker exited (code ${code})`)));
  return slot;
}

/** Buffers cross threads as Uint8Arrays: give callers Buffers again. */
function revive(result: unknown): unknown {
  if (result instanceof Uint8Array) return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
  const files = result as { pdf: Uint8Array; xml?: Uint8Array };
  return { ...files, pdf: revive(files.pdf), ...(files.xml ? { xml: revive(files.xml) } : {}) };
}

/** Renders a job on the least busy worker (started on first use), or here when there are none. */
export function render<J extends RenderJob>(job: J): Promise<RenderResult<J>> {
  if (size === 0) return runRenderJob(job);
  if (slots.length < size) slots.push(spawn());
  const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextId++;
  slot.busy++;
  const inFlight = new Promise<RenderResult<J>>((resolve, reject) => {
    slot.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    slot.worker.postMessage({ id, job });
  });
  slot.jobs.add(inFlight);
  const settled = () => slot.jobs.delete(inFlight);
  inFlight.then(settled, settled);
  return inFlight;
}

/** Ends the workers once their jobs are done (graceful shutdown); later jobs start new ones. */
export async function stopRenderWorkers(): Promise<void> {
  const stopping = slots;
  slots = [];
  await Promise.all(
    stopping.map(async (slot) => {
      await Promise.allSettled(slot.jobs);
      await slot.worker.terminate();
    }),
  );
}

/** Renders every job, a bounded number at a time (one at a time without workers), results in job order. */
export async function renderAll<J extends RenderJob>(jobs: readonly J[]): Promise<RenderResult<J>[]> {
  const out: RenderResult<J>[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await render(jobs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, 2 * size) }, lane));
  return out;
}
