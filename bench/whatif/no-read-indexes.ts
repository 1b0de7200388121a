/**
 * A what-if for diagnosis only, never part of the product: the upper bound of what cheaper index
 * upkeep of the read stores' rows could buy the HTTP mix. Preloaded into the server child:
 *
 *   BENCH_SERVER_REQUIRE=dist/bench/whatif/no-read-indexes.js \
 *   BENCH_SKIP=peers,edge,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=3000 BENCH_CPU_TYPE_ORDERS=0 npm run bench
 *
 * The SQLite read stores never make the expression indexes their projections declare, so a row's
 * write updates its table and its primary key only. The mix lists nothing, so only the writes
 * change. Each indexed field in a column of its own, set only when it changes, would save part of
 * this: all of it for a change of no indexed field, about half for a status change.
 */
import { SqliteReadStore } from '../../libs/read-models/src/sqlite/sqlite-read-store';

(SqliteReadStore.prototype as unknown as { ensurePhysicalIndexes: () => Promise<void> }).ensurePhysicalIndexes = async () => undefined;
