/**
 * `npm run -s build && node dist/bench/search-probe.js` — what the other clients of the embedded server
 * see while one console user searches with one or two characters, which no index serves: the server
 * starts on BENCH_PROBE_DATA_DIR (a directory `bench/restart-bench.ts` filled and kept with
 * BENCH_RESTART_DATA_DIR), then each search is asked BENCH_PROBE_RUNS times (3) in a row while
 * `GET /health/live` is asked every 5 ms. The first ask of a search reads every row; the later ones
 * use its kept total. Prints one JSON line: per search and ask, its ms, how many health answers came
 * during it and the slowest.
 */
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ordersTotal } from './http-bench';
import { probedWhile } from './lib/health-probe';
import { HttpClient } from './lib/http-client';
import { freePort, ServerProcess } from './lib/server';
import { benchToken } from './lib/token';

const DATA_DIR = process.env.BENCH_PROBE_DATA_DIR;
const RUNS = Number(process.env.BENCH_PROBE_RUNS ?? 3);
/** One character that every order number holds, and two that none does. */
const SEARCHES = ['/orders?q=0&page=50', '/orders?q=zq'];

async function main(): Promise<void> {
  if (!DATA_DIR || !existsSync(DATA_DIR)) {
    throw new Error('BENCH_PROBE_DATA_DIR must name a data directory with orders: fill one with BENCH_RESTART_DATA_DIR=DIR node dist/bench/restart-bench.js');
  }
  const logDir = mkdtempSync(join(tmpdir(), 'lp-search-probe-'));
  const port = await freePort();
  const server = new ServerProcess({ dataDir: DATA_DIR, port, synchronous: 'FULL', logFile: join(logDir, 'server.log') });
  try {
    await server.start();
    const user = new HttpClient('127.0.0.1', port, benchToken(), 1);
    const probe = new HttpClient('127.0.0.1', port, benchToken(), 1);
    const orders = await ordersTotal(user);
    const searches: Record<string, { ms: number; total: number; healthAnswersDuring: number; slowestHealthMs: number }[]> = {};
    for (const search of SEARCHES) {
      searches[search] = [];
      for (let run = 0; run < RUNS; run++) {
        const { reply, ms, healthAnswersDuring, slowestHealthMs } = await probedWhile(probe, () => user.get(search, 600_000));
        if (reply.status !== 200) throw new Error(`GET ${search}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
        searches[search].push({ ms, total: reply.body.total, healthAnswersDuring, slowestHealthMs });
      }
    }
    process.stdout.write(`${JSON.stringify({ orders, searches })}\n`);
  } finally {
    await server.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
