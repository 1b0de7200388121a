/**
 * A diagnosis aid, never part of the product: times every SQLite statement the server runs (the
 * wall time of each call, by its SQL) and writes the totals, largest first, to STATEMENT_TIMES_FILE
 * when the server exits. Wall time includes what the disk makes a commit wait:
 *
 *   STATEMENT_TIMES_FILE=/tmp/statement-times.txt BENCH_SERVER_REQUIRE=dist/bench/whatif/time-statements.js \
 *   BENCH_SKIP=peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=1000 BENCH_WARMUP_FLOWS=0 BENCH_SERIAL_FLOWS=0 BENCH_CPU_TYPE_ORDERS=0 npm run bench
 */
import { aroundEveryStatement, oneLine, writeAtExit } from './around-statements';

interface Timing {
  calls: number;
  us: number;
  maxUs: number;
  rows: number;
}

const timings = new Map<string, Timing>();
aroundEveryStatement((kind, sql, call) => {
  const started = process.hrtime.bigint();
  const result = call();
  const us = Number(process.hrtime.bigint() - started) / 1000;
  const key = `${kind} ${oneLine(sql)}`;
  const timing = timings.get(key) ?? { calls: 0, us: 0, maxUs: 0, rows: 0 };
  timing.calls += 1;
  timing.us += us;
  timing.maxUs = Math.max(timing.maxUs, us);
  if (Array.isArray(result)) timing.rows += result.length;
  timings.set(key, timing);
  return result;
});

writeAtExit(process.env.STATEMENT_TIMES_FILE ?? 'statement-times.txt', () =>
  [...timings]
    .sort((a, b) => b[1].us - a[1].us)
    .map(
      ([sql, t]) =>
        `${(t.us / 1000).toFixed(0).padStart(7)} ms ${String(t.calls).padStart(8)} calls ${(t.us / t.calls).toFixed(1).padStart(8)} µs/call  max ${(t.maxUs / 1000).toFixed(1)} ms  rows/call ${(t.rows / t.calls).toFixed(2)}  ${sql}`,
    )
    .join('\n') + '\n',
);
