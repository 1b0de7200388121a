/**
 * `npm run -s build && node dist/bench/restart-bench.js` — how long the embedded server takes to be
 * ready again on a data directory holding BENCH_RESTART_ORDERS orders (100,000):
 *   1. the directory is filled through the API (orders created 16 at a time, as the bench's bulk
 *      phase does). BENCH_RESTART_DATA_DIR keeps it: a later run tops it up to the count instead of
 *      starting again, so a directory of 1,000,000 orders is filled once (~16 min here);
 *   2. BENCH_RESTART_RUNS times (5) each: spawn → first 200 of `/health/ready` after a clean stop
 *      (SIGTERM), and after `kill -9`, then the order list's total is checked;
 *   3. the modules `require` of the embedded app loads (a count: stable where timings are not).
 * Prints one JSON line.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { bulkCreate, ordersTotal, setupCustomers, waitUntilPlaceable } from './http-bench';
import { HttpClient } from './lib/http-client';
import { freePort, REPO_ROOT, ServerProcess } from './lib/server';
import { summarize } from './lib/stats';
import { benchToken } from './lib/token';

const ORDERS = Number(process.env.BENCH_RESTART_ORDERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RESTART_RUNS ?? 5);
const KEPT_DIR = process.env.BENCH_RESTART_DATA_DIR;

type Stop = 'SIGTERM' | 'SIGKILL';

/** Starts the server on `dataDir`, runs `work` against it, stops it the way `stop` says; the ms to ready. */
async function served(dataDir: string, logFile: string, stop: Stop, work: (client: HttpClient) => Promise<void>): Promise<number> {
  const port = await freePort();
  const server = new ServerProcess({ dataDir, port, synchronous: 'FULL', logFile });
  const client = new HttpClient('127.0.0.1', port, benchToken(), 16);
  try {
    const readyMs = await server.start();
    await work(client);
    return readyMs;
  } finally {
    client.close();
    if (stop === 'SIGKILL') server.killNow();
    await server.stop();
  }
}

async function fill(dataDir: string, logFile: string): Promise<number> {
  let total = 0;
  await served(dataDir, logFile, 'SIGTERM', async (client) => {
    total = await ordersTotal(client);
    if (total >= ORDERS) return;
    const customers = await setupCustomers(client, 16);
    await waitUntilPlaceable(client, customers);
    process.stderr.write(`filling: ${total} orders exist, creating ${ORDERS - total} more\n`);
    await bulkCreate(client, customers, ORDERS - total, 16, (done, ms) => process.stderr.write(`  ${done} in ${Math.round(ms / 1000)} s\n`));
    total = await ordersTotal(client);
  });
  return total;
}

function modulesLoadedByTheApp(): number {
  const app = join(REPO_ROOT, 'dist/services/embedded/src/embedded-app.js');
  const counted = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(app)}); console.log(Object.keys(require.cache).length)`], { cwd: REPO_ROOT, encoding: 'utf8' });
  return Number(counted.stdout.trim());
}

async function main(): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'restart-bench-'));
  const dataDir = KEPT_DIR ?? join(parent, 'data');
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });
  try {
    const logFile = join(parent, 'server.log');
    const orders = await fill(dataDir, logFile);
    const runs: Record<Stop, number[]> = { SIGTERM: [], SIGKILL: [] };
    // A start is timed after the stop before it: the fill's clean one first, then kill -9 and clean in turn.
    let previousStop: Stop = 'SIGTERM';
    for (let start = 0; start < RUNS * 2; start++) {
      const stop: Stop = start % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
      const readyMs = await served(dataDir, logFile, stop, async (client) => {
        const total = await ordersTotal(client);
        if (total !== orders) throw new Error(`after a restart the order list holds ${total} orders, not ${orders}`);
      });
      runs[previousStop].push(readyMs);
      previousStop = stop;
    }
    const ms = (samples: number[]) => ({ samples: samples.map(Math.round), p50: Math.round(summarize(samples).p50) });
    console.log(JSON.stringify({ orders, afterCleanStop: ms(runs.SIGTERM), afterKill9: ms(runs.SIGKILL), modulesAtStart: modulesLoadedByTheApp() }));
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
