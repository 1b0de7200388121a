/**
 * A what-if for diagnosis only, never part of the product: a fill's indexes made on its empty table
 * before it starts, so that every write keeps them, instead of made over every row once it is done
 * (one CREATE INDEX per index, each holding the event loop for its whole sort: ~1.5 s at 1M rows).
 * Preloaded into the ops bench, which rebuilds in its own process:
 *
 *   BENCH_OPS_REBUILDS=1 BENCH_OPS_EVENTS=1000000 BENCH_ASOF_EVENTS=10 BENCH_ASOF_RUNS=2 \
 *   node -r ./dist/bench/whatif/indexes-before-fill.js dist/bench/ops-bench.js
 *
 * Alternate it with the same command without the preload, and compare the rebuild's `ms` and
 * `loopHeldMaxMs`. Not kept in the product: the planner's statistics are then taken of an empty table.
 */
import { SqliteReadStore } from '../../libs/read-models/src/sqlite/sqlite-read-store';

type Indexing = {
  ensurePhysicalIndexes(name: string, indexes: unknown[]): Promise<void>;
  preparePhysicalIndexes(name: string, indexes: unknown[]): Promise<void>;
};
const prototype = SqliteReadStore.prototype as unknown as Indexing;
const prepare = prototype.preparePhysicalIndexes;
// ensurePhysicalIndexes prepares the key columns itself (through preparePhysicalIndexes): that call
// does what it always did, or the two would call each other for ever.
const ensuring = new Set<string>();
prototype.preparePhysicalIndexes = async function makeIndexesFirst(this: Indexing, name: string, indexes: unknown[]): Promise<void> {
  if (ensuring.has(name)) return prepare.call(this, name, indexes);
  ensuring.add(name);
  try {
    await this.ensurePhysicalIndexes(name, indexes);
  } finally {
    ensuring.delete(name);
  }
};
