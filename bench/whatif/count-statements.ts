/**
 * A diagnosis aid, never part of the product: counts every SQLite statement the server runs, by its
 * SQL, and writes the counts (most frequent first) to STATEMENT_COUNTS_FILE when the server exits.
 * Work counted this way does not depend on how busy the machine is, unlike CPU time:
 *
 *   STATEMENT_COUNTS_FILE=/tmp/statements.tsv BENCH_SERVER_REQUIRE=dist/bench/whatif/count-statements.js \
 *   BENCH_SKIP=peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=1500 BENCH_WARMUP_FLOWS=0 BENCH_SERIAL_FLOWS=0 BENCH_CPU_TYPE_ORDERS=0 npm run bench
 */
import { aroundEveryStatement, oneLine, writeAtExit } from './around-statements';

const counts = new Map<string, number>();
aroundEveryStatement((kind, sql, call) => {
  const key = `${kind} ${oneLine(sql)}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return call();
});

writeAtExit(process.env.STATEMENT_COUNTS_FILE ?? 'statement-counts.tsv', () => {
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  return [`${total}\t(all statements)`, ...rows.map(([sql, n]) => `${n}\t${sql}`)].join('\n') + '\n';
});
