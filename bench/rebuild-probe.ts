/**
 * `npm run -s build && node dist/bench/rebuild-probe.js` — what a client sees of the embedded server
 * while an operator rebuilds a projection: an embedded server (dist/services/embedded, a child
 * process on a fresh data directory) gets BENCH_PROBE_CUSTOMERS customers through the API (10,000;
 * 16 at a time), then `POST /ops/projections/order-screens/rebuild` runs BENCH_PROBE_RUNS times
 * (3), and while each one's request is open `GET /health/live` is asked every 5 ms. Prints one JSON
 * line: per run the rebuild's ms, how many health answers came during it, and the slowest.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { customerBody } from './http-bench';
import { probedWhile } from './lib/health-probe';
import { HttpClient } from './lib/http-client';
import { freePort, ServerProcess } from './lib/server';
import { benchToken, distributorToken } from './lib/token';

const CUSTOMERS = Number(process.env.BENCH_PROBE_CUSTOMERS ?? 10_000);
const RUNS = Number(process.env.BENCH_PROBE_RUNS ?? 3);
const PROJECTION = 'order-screens';

async function createCustomers(client: HttpClient): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < CUSTOMERS; n = next++) {
      const reply = await client.post('/customers', customerBody(n));
      if (reply.status !== 201) throw new Error(`POST /customers: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** One rebuild, with /health/live asked every 5 ms while its request is open. */
async function probedRebuild(ops: HttpClient, probe: HttpClient) {
  const { reply, ms, healthAnswersDuring, slowestHealthMs } = await probedWhile(probe, () => ops.post(`/ops/projections/${PROJECTION}/rebuild`, {}, 600_000));
  if (reply.status !== 200) throw new Error(`POST /ops/projections/${PROJECTION}/rebuild: ${reply.status}`);
  return { rebuildMs: ms, healthAnswersDuring, slowestHealthMs };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-rebuild-probe-'));
  const port = await freePort();
  const server = new ServerProcess({ dataDir: join(dir, 'server'), port, synchronous: 'NORMAL', logFile: join(dir, 'server.log') });
  try {
    await server.start();
    await createCustomers(new HttpClient('127.0.0.1', port, benchToken()));
    const ops = new HttpClient('127.0.0.1', port, distributorToken(), 1);
    const probe = new HttpClient('127.0.0.1', port, benchToken(), 1);
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await probedRebuild(ops, probe));
    process.stdout.write(`${JSON.stringify({ customers: CUSTOMERS, projection: PROJECTION, runs })}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
