/**
 * Pure statistics for the benchmarks: no I/O, so that tests/unit/bench-harness.test.ts can pin them down.
 * Every figure the benches report is a median over at least five runs, shown with its min and max, and every
 * comparison is a ratio of two medians measured in the same run.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The median of a non-empty sample (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('median of a non-finite value');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  return { median: m, min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * `value / baseline`, or null when the baseline is zero or either side is missing, so that a bench that could
 * not run shows up as null instead of Infinity or NaN in the summary line.
 */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return value / baseline;
}

/** Rounds to `digits` significant decimals for the summary line (null stays null). */
export function round(value: number | null | undefined, digits = 2): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `12.3 (11.9–13.0)`: a median with its range, in a unit-free fixed format. */
export function formatSummary(s: Summary, digits = 1): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** A plain-text table with a header row, columns padded to their widest cell; numbers-looking cells right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[-+]?[\d.,]+/;
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (numeric.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
