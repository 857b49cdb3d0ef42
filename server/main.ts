import { openStore } from '../db/index';
import { seedDemo } from '../db/demo';
import { buildApp } from './app';
import { freezePending } from './documents/frozen';
import { defaultRenderWorkers, setRenderWorkers, stopRenderWorkers } from './documents/render-pool';
import { startMonthlyJobs } from './monthly-jobs';
import { configFromEnv } from './config';
import { createSender } from './notifications/sender';
import { transportFor } from './notifications/transport';

/**
 * Entry point: migrate, seed the demo pole on an empty database, listen, send the outbox's mails, and close
 * gracefully on signals.
 */
async function main() {
  const config = configFromEnv();
  const store = openStore(config.dbPath);
  setRenderWorkers(config.renderWorkers ?? defaultRenderWorkers());
  let closing = false;
  let recovery: Promise<unknown> = Promise.resolve();
  const demo = config.demo ? await seedDemo(store, { log: (line) => console.log(line) }) : null;
  const app = await buildApp({ config, store, logger: { level: config.logLevel } });
  // Month-turn jobs (recurring costs carried forward) run now and every ten minutes.
  const jobs = startMonthlyJobs(app.ctx, (line, err) => (err ? app.log.error({ err }, line) : app.log.info(line)));
  const sender = createSender(app.ctx, transportFor(config), { log: (line, err) => (err ? app.log.error({ err }, line) : app.log.info(line)) });

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('graceful close timed out, exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    // Connections busy at the signal turn idle once answered; close them then, or a client's keep-alive
    // would hold the process open until the timeout.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
    try {
      jobs.stop();
      await sender.stop(); // the mail in flight is finished and marked; the rest waits in the outbox
      await recovery; // the document being frozen is finished; the others wait for the next start
      await app.close();
      await stopRenderWorkers();
      store.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error while closing');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  sender.start();
  // Documents issued by a process that died before rendering them get their bytes now (also on first use).
  recovery = freezePending(app.ctx, { shouldStop: () => closing, onProgress: (done, total) => done === 1 && app.log.info(`freezing ${total} issued document(s)…`) })
    .then((n) => n > 0 && app.log.info(`froze ${n} issued document(s) left without their stored PDF by an earlier stop`))
    .catch((err: unknown) => app.log.error({ err }, 'freezing issued documents failed; they are frozen on first use'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  console.log(`\nMutualise is running at ${url}  (API docs: ${url}/api/docs, database: ${config.dbPath})`);
  if (demo?.logins.length) {
    console.log(`Demo logins (password: ${demo.password}):`);
    for (const login of demo.logins) console.log(`  ${login.email.padEnd(36)} ${login.role.padEnd(13)} ${login.member ?? 'whole pole'}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
