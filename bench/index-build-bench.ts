/**
 * `npm run -s build && node dist/bench/index-build-bench.js` — what a first fill or a rebuild of 注文一覧
 * costs everything else in the embedded process while its indexes are made (a benchmark, not a test:
 * it prints figures and never fails on them):
 *   1. fills a SqliteReadStore with BENCH_INDEX_ORDERS (1,000,000) order rows, as a first fill writes
 *      them (key columns prepared, no index yet: prepareProjectionIndexes, then ReadCollection.apply);
 *   2. makes every index orderScreensProjection declares (ensureProjectionIndexes: its sort indexes,
 *      its text index, its kept total) while this process keeps reading an order, once per turn of
 *      the event loop, as a request would, and writing it, as a live projection would: how long the
 *      indexes took, the longest the loop was held (what any request, health probe or projection
 *      waited), how many reads were answered, the longest a write waited, and the process's peak RSS
 *      meanwhile;
 *   3. opens the file again, as the first start of a release that sorts 注文一覧 by a field no index
 *      had (purchaseOrderNumber) does, and makes that one index: its key column filled from every row,
 *      then the index. The same figures;
 *   4. empties those rows, as a rebuild that starts over in the version an interrupted one filled
 *      does (ReadStore.reset), while reading a row of another collection once per turn. The same figures.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ensureProjectionIndexes, prepareProjectionIndexes, ReadCollection, ReadDocument } from '@lp/read-models';
import { SqliteReadStore } from '@lp/read-models/sqlite';
import { orderScreensProjection } from '../services/order/src/projections/orders.projection';
import { COLLECTIONS, OrderView } from '../services/order/src/projections/views';
import { printBenchScriptResult } from './lib/child-phase';
import { fillRows } from './lib/fill-rows';
import { watchEventLoop } from './lib/loop-watch';
import { orderRow } from './list-bench';

const ORDERS = Number(process.env.BENCH_INDEX_ORDERS ?? 1_000_000);

/** What making indexes cost the rest of the process, measured while it read an order once per turn. */
export interface WhileServing {
  ms: number;
  loopHeldMaxMs: number;
  readsAnswered: number;
  /** The longest one write of the document took (it waits while a worker holds the write lock). */
  writeWaitMaxMs: number;
  /** This process's peak RSS meanwhile (a worker's memory is the process's). */
  peakRssMb: number;
}

export interface IndexBuildBenchResult extends WhileServing {
  orders: number;
  fillSeconds: number;
  /** The first start of a release that declares an index on a field no index had. */
  newField: WhileServing;
  /** A rebuild starting over where an interrupted one filled every row (ReadStore.reset). */
  reset: WhileServing;
}

/** A sort 注文一覧 does not declare, on a field no declared index holds: what a release adding it declares. */
const NEW_FIELD_INDEX = { resellerId: 1, purchaseOrderNumber: 1 } as const;

/** The writes whileServing made, in all: each one's revision, so that none is skipped as applied already. */
let writesSoFar = 0;

/**
 * Runs `work` while reading a document (`id` of `collection`) once per turn of the event loop, as a
 * request would, and writing it again each turn, as a live projection would (a write waits while a
 * worker holds the file's write lock: writeTurn).
 */
async function whileServing(collection: ReadCollection<ReadDocument>, id: string, work: () => Promise<void>): Promise<WhileServing> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const watch = watchEventLoop();
  const started = performance.now();
  let done = false;
  const working = work().finally(() => (done = true));
  let readsAnswered = 0;
  let writeWaitMaxMs = 0;
  while (!done) {
    if (!(await collection.get(id))) throw new Error(`${id} was not found meanwhile`);
    readsAnswered++;
    const writing = performance.now();
    const revision = ++writesSoFar;
    await collection.apply(id, { streamId: `while-${id}`, revision }, (current) => ({ ...current!, touched: revision }));
    writeWaitMaxMs = Math.max(writeWaitMaxMs, performance.now() - writing);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await working;
  const ms = Math.round(performance.now() - started);
  const loopHeldMaxMs = Math.round(watch.stop());
  clearInterval(sampler);
  return { ms, loopHeldMaxMs, readsAnswered, writeWaitMaxMs: Math.round(writeWaitMaxMs), peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 1024 / 1024) };
}

export async function runIndexBuildBench(log: (line: string) => void): Promise<IndexBuildBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-index-build-bench-'));
  // Opened as embedded-app.ts opens a service's read store.
  const open = () => SqliteReadStore.open({ filename: join(dir, 'order.read-models.sqlite'), synchronous: 'NORMAL', commitDelayMs: 10 });
  let store = open();
  try {
    await prepareProjectionIndexes(orderScreensProjection, store);
    const orders = store.collection<OrderView>(COLLECTIONS.orders);
    const filling = performance.now();
    await fillRows(orders, ORDERS, orderRow, (row) => `order-${row.id}`);
    await store.flush();
    const fillSeconds = Math.round((performance.now() - filling) / 100) / 10;
    log(`index build bench: ${ORDERS} orders filled in ${fillSeconds} s; making the indexes`);
    const someOrder = orderRow(ORDERS - 1).id;
    const made = await whileServing(orders, someOrder, () => ensureProjectionIndexes(orderScreensProjection, store));

    log('index build bench: a release declaring an index on a new field');
    await store.close();
    store = open();
    const declared = orderScreensProjection.indexes![COLLECTIONS.orders];
    const again = store.collection<OrderView>(COLLECTIONS.orders);
    const newField = await whileServing(again, someOrder, () => store.ensureIndexes(COLLECTIONS.orders, [...declared, NEW_FIELD_INDEX]));

    log('index build bench: a rebuild starting over where an interrupted one filled every row');
    const other = store.collection<ReadDocument>('other');
    await other.apply('o1', { streamId: 'other-o1', revision: 0 }, () => ({ id: 'o1' }));
    const reset = await whileServing(other, 'o1', () => store.reset(orderScreensProjection.name, orderScreensProjection.collections));
    return { orders: ORDERS, fillSeconds, ...made, newField, reset };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) printBenchScriptResult(runIndexBuildBench);
