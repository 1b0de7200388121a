/**
 * `npm run -s build && node dist/bench/upgrade-start-bench.js` — how long the embedded server takes to
 * be ready at the first start of a release that declares an index on a field no index had
 * (bench/whatif/new-sort-field.ts, preloaded): each of BENCH_UPGRADE_RUNS (3) runs copies
 * BENCH_UPGRADE_DATA_DIR (a directory restart-bench.ts filled and kept, e.g. with
 * BENCH_RESTART_DATA_DIR=DIR BENCH_RESTART_ORDERS=1000000), then times spawn → first 200 of
 * `/health/ready`, and spawn → the new index in the read-model file (its key column filled from every
 * order, then the index made), and what `GET /ops/projections` showed being indexed meanwhile, until
 * when. A start of the same copy without the new field, before it, is the plain restart beside it.
 * Prints one JSON line.
 */
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { freePort, REPO_ROOT, ServerProcess } from './lib/server';
import { sleep } from './lib/stats';
import { distributorToken } from './lib/token';

const DATA_DIR = process.env.BENCH_UPGRADE_DATA_DIR;
const RUNS = Number(process.env.BENCH_UPGRADE_RUNS ?? 3);
const NEW_FIELD = join(REPO_ROOT, 'dist/bench/whatif/new-sort-field.js');

/** Whether the order service's read models hold the new field's index yet (read from another connection). */
function holdsNewIndex(dataDir: string): boolean {
  const file = join(dataDir, 'order.read-models.sqlite');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name LIKE '%purchaseOrderNumber%'").get() !== undefined;
  } finally {
    db.close();
  }
}

/** The collections GET /ops/projections says the order service's projections are indexing (what ops see). */
async function indexingShown(port: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/ops/projections`, { headers: { authorization: `Bearer ${distributorToken()}` } });
  const { items } = (await response.json()) as { items: { service: string; name: string; indexing?: { collection: string } }[] };
  return items.filter((item) => item.service === 'order' && item.indexing).map((item) => `${item.name}: ${item.indexing!.collection}`);
}

interface TimedStart {
  readyMs: number;
  indexedMs?: number;
  /** What ops saw being indexed meanwhile, and when they last saw it. */
  shownIndexing?: string[];
  shownUntilMs?: number;
}

async function timedStart(dataDir: string, logFile: string, preload: string[]): Promise<TimedStart> {
  const port = await freePort();
  const server = new ServerProcess({ dataDir, port, synchronous: 'FULL', logFile, preload });
  const spawned = performance.now();
  try {
    const readyMs = await server.start();
    if (preload.length === 0) return { readyMs };
    const shown = new Set<string>();
    let shownUntilMs: number | undefined;
    let indexedMs: number | undefined;
    for (;;) {
      const indexing = await indexingShown(port);
      for (const what of indexing) shown.add(what);
      if (indexing.length > 0) shownUntilMs = Math.round(performance.now() - spawned);
      indexedMs ??= holdsNewIndex(dataDir) ? Math.round(performance.now() - spawned) : undefined;
      if (indexedMs !== undefined && indexing.length === 0) break;
      await sleep(50);
    }
    return { readyMs, indexedMs, shownIndexing: [...shown], shownUntilMs };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (!DATA_DIR || !existsSync(DATA_DIR)) {
    throw new Error('BENCH_UPGRADE_DATA_DIR must name a data directory with orders: fill one with BENCH_RESTART_DATA_DIR=DIR node dist/bench/restart-bench.js');
  }
  const work = mkdtempSync(join(tmpdir(), 'lp-upgrade-start-'));
  const runs: ({ plainReadyMs: number } & TimedStart)[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const copy = join(work, `data-${run}`);
      cpSync(DATA_DIR, copy, { recursive: true });
      const plain = await timedStart(copy, join(work, 'server.log'), []);
      const upgraded = await timedStart(copy, join(work, 'server.log'), [NEW_FIELD]);
      runs.push({ plainReadyMs: plain.readyMs, ...upgraded });
      rmSync(copy, { recursive: true, force: true });
    }
    console.log(JSON.stringify({ dataDir: DATA_DIR, runs }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
