/**
 * Rendering in worker threads changes where documents are rendered, never what: on two copies of the demo
 * pole, freezing every issued document and storing its closed months' statements and summaries with two render
 * workers stores exactly the rows (bytes, digests, chain records) that rendering on the request thread stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { freezeIssued } from '../../server/documents/frozen';
import { renderWorkers, setRenderWorkers, stopRenderWorkers } from '../../server/documents/render-pool';
import { renderMonthDocuments } from '../../server/documents/service';
import { manualClock } from '../../server/shared/clock';

const clock = manualClock('2026-11-16T10:00:00+01:00');

async function demoPole(): Promise<{ store: Store; ctx: AppContext }> {
  const store = openStore(':memory:');
  await seedDemo(store, { clock });
  return { store, ctx: { store, db: store.db, sqlite: store.sqlite, clock, config: { ...defaultConfig, dbPath: ':memory:', demo: false } } };
}

async function everyDocument(ctx: AppContext, workers: number) {
  setRenderWorkers(workers);
  try {
    const ids = ctx.sqlite.prepare('SELECT id FROM invoices ORDER BY id').pluck().all() as number[];
    await freezeIssued(ctx, ids);
    const stored = ctx.sqlite.prepare('SELECT invoice_id, rank, format, pdf, xml, pdf_sha256, xml_sha256, prev_hash, hash FROM issued_documents ORDER BY invoice_id').all();
    const months = ctx.sqlite.prepare('SELECT month FROM closings ORDER BY month').pluck().all() as string[];
    const monthFiles = [];
    for (const month of months) {
      for (const f of await renderMonthDocuments(ctx, month, { summary: true, memberIds: 'all' })) monthFiles.push({ month, kind: f.kind, scope: f.scope, body: f.file.body });
    }
    return { ids, stored, monthFiles };
  } finally {
    setRenderWorkers(0);
  }
}

describe('render workers', () => {
  const poles: { store: Store; ctx: AppContext }[] = [];
  before(async () => {
    poles.push(await demoPole(), await demoPole());
  });
  after(async () => {
    await stopRenderWorkers();
    for (const p of poles) p.store.close();
  });

  it('store the same documents, byte for byte, as rendering on the request thread', async () => {
    const here = await everyDocument(poles[0]!.ctx, 0);
    const threads = await everyDocument(poles[1]!.ctx, 2);
    assert.equal(renderWorkers(), 0);
    assert.ok(here.ids.length >= 10, `the demo issues documents (${here.ids.length})`);
    assert.equal(here.stored.length, here.ids.length);
    assert.ok(here.monthFiles.length >= 4, 'statements and summaries of the closed months');
    assert.deepEqual(threads.stored, here.stored);
    assert.equal(threads.monthFiles.length, here.monthFiles.length);
    threads.monthFiles.forEach((f, i) => {
      const h = here.monthFiles[i]!;
      assert.deepEqual({ month: f.month, kind: f.kind, scope: f.scope }, { month: h.month, kind: h.kind, scope: h.scope });
      assert.ok(Buffer.compare(f.body, h.body) === 0, `${f.kind} ${f.scope} of ${f.month} differs`);
    });
  });

  it('reports a renderer failure as an error, without losing the workers for later jobs', async () => {
    setRenderWorkers(1);
    try {
      const { render } = await import('../../server/documents/render-pool');
      await assert.rejects(render({ kind: 'statement', data: null as never }), /render worker/);
      const ok = await everyDocument(poles[1]!.ctx, 1);
      assert.ok(ok.monthFiles.every((f) => f.body.subarray(0, 5).toString() === '%PDF-'));
    } finally {
      setRenderWorkers(0);
    }
  });
});
