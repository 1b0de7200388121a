/**
 * `npm run -s build && node dist/bench/ops-bench.js` — what the ops tools cost on a big store:
 *   1. a blue/green rebuild of an order-list projection (one row per order, updated by each of its
 *      events) over BENCH_OPS_EVENTS stored events: events/s and the peak RSS of this process;
 *   2. the audit export of the same events as NDJSON, plain and with PII masking: events/s and MB/s;
 *   3. GET …?asOf= on one stream of BENCH_ASOF_EVENTS events (1,000) in that big store: the time
 *      travel helper the GETs use (read the stream, replay it up to the instant through the
 *      projection into a scratch store, read the row), BENCH_ASOF_RUNS times (200): p50 / p99 ms.
 * The events are the forwarder bench's (~600 bytes of data each, 10 per order stream). Prints one
 * JSON line of results; exits 1 only when it could not run.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventEnvelope } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { defineProjection, InMemoryReadStore, ProjectionRunner, ReadStore, sourceOf, timeTravel } from '@lp/read-models';
import { ServiceRuntime } from '@lp/runtime';
import { Ops } from '../libs/runtime/src/ops/ops';
import { FORWARDED_TYPES, prefill } from './forwarder-bench';
import { benchEvent } from './lib/bench-event';
import { summarize } from './lib/stats';

const EVENTS = Number(process.env.BENCH_OPS_EVENTS ?? 100_000);
const AS_OF_EVENTS = Number(process.env.BENCH_ASOF_EVENTS ?? 1_000);
const AS_OF_RUNS = Number(process.env.BENCH_ASOF_RUNS ?? 200);

type BenchData = { orderId: string; n: number; lines: unknown[] };
type OrderRow = { id: string; status: string; events: number; lines: number };

const orderList = defineProjection({
  name: 'bench-order-list',
  collections: ['bench-orders'],
  on: Object.fromEntries(
    FORWARDED_TYPES.map((type) => [
      type,
      async (event: EventEnvelope, store: ReadStore) => {
        const data = event.data as BenchData;
        await store
          .collection<OrderRow>('bench-orders')
          .apply(data.orderId, sourceOf(event), (row) => ({ id: data.orderId, status: type, events: (row?.events ?? 0) + 1, lines: data.lines.length }));
      },
    ]),
  ),
});

/** One order stream of AS_OF_EVENTS events, then the order as of now (every event replayed), AS_OF_RUNS times. */
async function asOfOnOneStream(store: SqliteEventStore) {
  const orderId = randomUUID();
  const correlationId = randomUUID();
  for (let n = 0; n < AS_OF_EVENTS; n += 100) {
    const events = Array.from({ length: Math.min(100, AS_OF_EVENTS - n) }, (_, i) => benchEvent(FORWARDED_TYPES[(n + i) % FORWARDED_TYPES.length], orderId, n + i, correlationId));
    await store.appendToStream(`order-${orderId}`, events, { expectedRevision: n === 0 ? 'no_stream' : n - 1 });
  }
  const asOf = new Date(Date.now() + 1000).toISOString();
  const rowAsOf = async () => {
    const then = await timeTravel(store, { projections: [orderList], streamIds: [`order-${orderId}`], asOf });
    return then.collection<OrderRow>('bench-orders').get(orderId);
  };
  const row = await rowAsOf(); // warm-up, and proof that every event was replayed
  if (row?.events !== AS_OF_EVENTS) throw new Error(`asOf replayed ${row?.events} of ${AS_OF_EVENTS} events`);
  const samples: number[] = [];
  for (let run = 0; run < AS_OF_RUNS; run++) {
    const begun = performance.now();
    await rowAsOf();
    samples.push(performance.now() - begun);
  }
  const { p50, p99, max } = summarize(samples);
  return { streamEvents: AS_OF_EVENTS, runs: AS_OF_RUNS, p50Ms: round1(p50), p99Ms: round1(p99), maxMs: round1(max) };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-ops-bench-'));
  const store = new SqliteEventStore({ filename: join(dir, 'order.sqlite'), synchronous: 'NORMAL' });
  const bus = new InProcessEventBus({ filename: ':memory:' });
  try {
    await prefill(store, EVENTS, 10);
    const readStore = new InMemoryReadStore();
    const runner = new ProjectionRunner({ eventStore: store, readStore, projection: orderList });
    await runner.start();
    await runner.caughtUp();

    const sampler = setInterval(sampleRss, 50);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await runner.rebuild();
    const rebuildMs = performance.now() - started;
    clearInterval(sampler);
    sampleRss();
    const rows = (await readStore.collection('bench-orders').find({ limit: 0 })).total;
    await runner.stop();

    const runtime = new ServiceRuntime(
      { name: 'order', topic: 'order.events', streamPrefixes: ['order-'], publishedEventTypes: FORWARDED_TYPES, projections: [], busProjections: [] },
      { eventStore: store, forwarderCheckpoints: store.checkpoints(), readStore, bus },
    );
    const ops = new Ops([runtime]);
    const exportRun = async (maskPii: boolean) => {
      const begun = performance.now();
      let lines = 0;
      let bytes = 0;
      const { lines: exported } = await ops.exportEvents({ topic: 'order.events' }, {}, maskPii);
      for await (const line of exported) {
        lines++;
        bytes += Buffer.byteLength(line);
      }
      const seconds = (performance.now() - begun) / 1000;
      return { lines, eventsPerSecond: Math.round(lines / seconds), megabytesPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)) };
    };
    const [plain, masked] = [await exportRun(false), await exportRun(true)];
    const asOf = await asOfOnOneStream(store);

    const result = {
      events: EVENTS,
      rebuild: { ms: Math.round(rebuildMs), eventsPerSecond: Math.round(EVENTS / (rebuildMs / 1000)), rows, rssBeforeMb: mb(rssBefore), peakRssMb: mb(peakRss) },
      export: { plain, masked },
      asOf,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

main().catch((error: unknown) => {
  process.stderr.write(`ops bench could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
