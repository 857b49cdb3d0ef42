/**
 * Summarises a V8 CPU profile (node --cpu-prof, or BENCH_CPU_PROF=<dir> for the benches' children): the
 * functions with the most self time, and with the most total (inclusive) time, as a share of the samples.
 * Usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top=25] [filter substring for the inclusive list]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatTable } from './stats';
import { ROOT } from './harness';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topText, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [filter]');
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace('file://', '');
  const where = url ? `${url.startsWith(ROOT) ? relative(ROOT, url) : url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}` : '';
  return `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map<string, number>();
const total = new Map<string, number>();
let sum = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  sum += dt;
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) {
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
});

const show = (m: Map<string, number>, title: string, only?: string) => {
  const rows = [...m.entries()]
    .filter(([l]) => !only || l.includes(only))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([l, t]) => [`${((100 * t) / sum).toFixed(1)}%`, `${(t / 1000).toFixed(0)} ms`, l]);
  console.log(`\n${title}`);
  console.log(formatTable(['share', 'time', 'function'], rows));
};
console.log(`${file}: ${(sum / 1000).toFixed(0)} ms sampled`);
show(self, 'self time');
show(total, 'inclusive time', filter);
