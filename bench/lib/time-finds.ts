import { watchEventLoop } from './loop-watch';
import { summarize } from './stats';

/** One list query asked again and again: its repeats' p50 / p99, its first ask, and the longest the event loop was held meanwhile. */
export interface FindTiming {
  p50: number;
  p99: number;
  first: number;
  runs: number;
  total: number;
  loopHeldMs: number;
}

/**
 * Asks `find` `runs` times in a row (fewer, at least 10, past 15 s) and times each ask. The first ask
 * counts a filter's total (later ones find it kept), so it is reported apart.
 */
export async function timeFinds(name: string, find: () => Promise<{ total: number }>, runs: number, log: (line: string) => void): Promise<FindTiming> {
  const times: number[] = [];
  let total = 0;
  // A slow query gets fewer runs (at least 10) rather than minutes.
  const until = Date.now() + 15_000;
  const loop = watchEventLoop();
  for (let run = 0; run < runs && (run < 10 || Date.now() < until); run++) {
    const t0 = process.hrtime.bigint();
    total = (await find()).total;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    // Between two asks the loop takes its turn, as it does between two HTTP requests: without it,
    // asks answered without a real wait (promises only) would look like one long hold.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // What every other request of the process would have waited at worst meanwhile.
  const loopHeldMs = Number(loop.stop().toFixed(1));
  const { p50, p99 } = summarize(times);
  const figures = `p50 ${p50.toFixed(2).padStart(8)} ms  p99 ${p99.toFixed(2).padStart(8)} ms  first ${times[0].toFixed(1).padStart(7)} ms  loop held ${String(loopHeldMs).padStart(7)} ms`;
  log(`${name.padEnd(48)} ${figures}  (${times.length} runs, total ${total})`);
  return { p50: Number(p50.toFixed(2)), p99: Number(p99.toFixed(2)), first: Number(times[0].toFixed(2)), runs: times.length, total, loopHeldMs };
}
