/** Latency samples per command type, and the figures the benchmark prints. */
export interface Summary {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export class LatencyRecorder {
  private readonly samples = new Map<string, number[]>();
  private readonly errors = new Map<string, number>();

  record(type: string, ms: number, ok: boolean): void {
    let list = this.samples.get(type);
    if (!list) this.samples.set(type, (list = []));
    list.push(ms);
    if (!ok) this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
  }

  types(): string[] {
    return [...this.samples.keys()];
  }

  summary(type?: string): Summary {
    const values = type ? (this.samples.get(type) ?? []) : [...this.samples.values()].flat();
    const errors = type ? (this.errors.get(type) ?? 0) : [...this.errors.values()].reduce((a, b) => a + b, 0);
    return summarize(values, errors);
  }

  get count(): number {
    let n = 0;
    for (const list of this.samples.values()) n += list.length;
    return n;
  }
}

export function summarize(values: number[], errors = 0): Summary {
  if (values.length === 0) return { count: 0, errors, p50: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    max: sorted[sorted.length - 1],
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
export const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');

/** A plain fixed-width table for the terminal. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
