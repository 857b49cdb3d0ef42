import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

/** Relative imports of a file (type-only imports included: they tie modules together just the same). */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2])!;
    const base = resolve(dirname(path), spec);
    const target = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
    if (target) out.push(relative(ROOT, target));
  }
  return out;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * File-level import cycles main had when this test landed: the demo pole seeds through server/closing/demo.ts,
 * which imports back from db/demo.ts (issue #17: the demo moves to scripts/ and goes through the services).
 * The test fails on any other cycle, and on a listed one that is gone, so the list only shrinks. Cycles
 * between capabilities (closing ↔ invoices, bookings ↔ resources, costs ↔ closing) run through different
 * files and are not caught here.
 */
const KNOWN: string[] = ['db/demo.ts ↔ server/closing/demo.ts'];

describe('import cycles', () => {
  it('server/, db/, scripts/ and client/src have no import cycle beyond the known ones', () => {
    const graph = new Map<string, string[]>();
    for (const dir of ['server', 'db', 'scripts', join('client', 'src')]) {
      for (const path of files(join(ROOT, dir))) graph.set(relative(ROOT, path), importsOf(path));
    }
    const found = cycles(graph).map((c) => c.join(' ↔ ')).sort();
    assert.deepEqual(found, [...KNOWN].sort());
  });
});
