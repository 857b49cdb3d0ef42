/**
 * A render thread: runs the jobs render-pool.ts sends (see render-jobs.ts) and answers with the bytes,
 * transferred rather than copied. Built as its own entry (dist/server/render-worker.js and
 * dist/scripts/render-worker.js, beside each bundle that may start it).
 */
import { parentPort } from 'node:worker_threads';
import { runRenderJob, type RenderJob } from './render-jobs';

if (!parentPort) throw new Error('render-worker runs as a worker thread');
const port = parentPort;

port.on('message', (message: { id: number; job: RenderJob }) => {
  runRenderJob(message.job).then(
    (result) => {
      const buffers = Buffer.isBuffer(result) ? [result] : [result.pdf, ...(result.xml ? [result.xml] : [])];
      // A Buffer may view a larger pooled ArrayBuffer: only transfer those that own theirs whole.
      const transfer = buffers.filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
      port.postMessage({ id: message.id, result }, transfer);
    },
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
