/**
 * A what-if, never part of the product: no SQLite connection of the process checkpoints its WAL
 * inside a commit (every `wal_autocheckpoint = n` becomes 0; the WAL then only grows until close).
 * The upper bound of moving the event store's and the bus log's checkpoints off the event loop, as
 * the read store's are (WalCheckpointer):
 *
 *   BENCH_SERVER_REQUIRE=dist/bench/whatif/no-wal-autocheckpoint.js \
 *   BENCH_SKIP=edge,peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=3000 BENCH_CPU_TYPE_ORDERS=0 node dist/bench/run.js
 */
import Database from 'better-sqlite3';

const databasePrototype = Database.prototype as unknown as { pragma: (this: Database.Database, source: string, options?: unknown) => unknown };
const pragma = databasePrototype.pragma;
databasePrototype.pragma = function (this: Database.Database, source: string, options?: unknown) {
  return pragma.call(this, /^\s*wal_autocheckpoint\s*=/.test(source) ? 'wal_autocheckpoint = 0' : source, options);
};
