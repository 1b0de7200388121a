import { runBenchScript } from './child-phase';

/** What ops-bench.ts prints (one JSON line). */
export interface OpsBenchResult {
  events: number;
  rebuild: {
    readStore: string;
    /** The median of the runs (runsMs), which eventsPerSecond is of. */
    ms: number;
    runsMs: number[];
    eventsPerSecond: number;
    rows: number;
    rssBeforeMb: number;
    peakRssMb: number;
    firstBuildMs: number;
    loopHeldMaxMs: number;
  };
  export: { plain: { lines: number; eventsPerSecond: number }; masked: { lines: number; eventsPerSecond: number } };
  asOf: { streamEvents: number; runs: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/**
 * The ops tools on a big store (dist/bench/ops-bench.js), in a process of its own so that its peak
 * RSS is the rebuild's and not the bench's. BENCH_OPS_EVENTS (default 1,000,000) and
 * BENCH_OPS_REBUILDS (3) pass through.
 */
export async function runOpsBench(log: (message: string) => void): Promise<OpsBenchResult> {
  const events = process.env.BENCH_OPS_EVENTS ?? '1000000';
  log(`ops: ${events} stored events → blue/green rebuild, export (plain, masked), ?asOf= on one stream`);
  const result = await runBenchScript<OpsBenchResult>('ops-bench', { BENCH_OPS_EVENTS: events });
  log(`ops: rebuilds ${result.rebuild.runsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}; median ${result.rebuild.eventsPerSecond} events/s (peak RSS ${result.rebuild.peakRssMb} MB, event loop held at most ${result.rebuild.loopHeldMaxMs} ms), export ${result.export.plain.eventsPerSecond} / masked ${result.export.masked.eventsPerSecond} events/s, asOf p99 ${result.asOf.p99Ms} ms`);
  return result;
}
