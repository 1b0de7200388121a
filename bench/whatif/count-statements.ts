/**
 * A diagnosis aid, never part of the product: counts every SQLite statement the server runs, by its
 * SQL, and writes the counts (most frequent first) to STATEMENT_COUNTS_FILE when the server exits.
 * Work counted this way does not depend on how busy the machine is, unlike CPU time:
 *
 *   STATEMENT_COUNTS_FILE=/tmp/statements.tsv BENCH_SERVER_REQUIRE=dist/bench/whatif/count-statements.js \
 *   BENCH_SKIP=peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list \
 *   BENCH_FLOWS=1500 BENCH_WARMUP_FLOWS=0 BENCH_SERIAL_FLOWS=0 BENCH_CPU_TYPE_ORDERS=0 npm run bench
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'fs';

const counts = new Map<string, number>();
const count = (kind: string, sql: string) => {
  const key = `${kind} ${sql.replace(/\s+/g, ' ').trim()}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

type Method = (this: Database.Statement, ...args: unknown[]) => unknown;
const probe = new Database(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Method>;
probe.close();
for (const name of ['run', 'get', 'all', 'iterate']) {
  const original = statementPrototype[name];
  statementPrototype[name] = function (this: Database.Statement, ...args: unknown[]) {
    count(name, this.source);
    return original.apply(this, args);
  };
}
const databasePrototype = Database.prototype as unknown as Record<string, (this: Database.Database, sql: string, ...rest: unknown[]) => unknown>;
for (const name of ['exec', 'pragma']) {
  const original = databasePrototype[name];
  databasePrototype[name] = function (this: Database.Database, sql: string, ...rest: unknown[]) {
    count(name, sql);
    return original.call(this, sql, ...rest);
  };
}

const file = process.env.STATEMENT_COUNTS_FILE ?? 'statement-counts.tsv';
process.on('exit', () => {
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  writeFileSync(file, [`${total}\t(all statements)`, ...rows.map(([sql, n]) => `${n}\t${sql}`)].join('\n') + '\n');
});
// The bench stops the server with SIGTERM: exit normally so that the counts are written.
process.once('SIGTERM', () => process.exit(0));
