/**
 * `npm run -s build && node dist/bench/ops-bench.js` — what the ops tools cost on a big store:
 *   1. a blue/green rebuild of an order-list projection (one row per order, updated by each of its
 *      events) over BENCH_OPS_EVENTS stored events: events/s and the peak RSS of this process;
 *   2. the audit export of the same events as NDJSON, plain and with PII masking: events/s and MB/s.
 * The events are the forwarder bench's (~600 bytes of data each, 10 per order stream). Prints one
 * JSON line of results; exits 1 only when it could not run.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventEnvelope, SqliteEventStore } from '@lp/eventsourcing';
import { InProcessEventBus } from '@lp/messaging';
import { defineProjection, InMemoryReadStore, ProjectionRunner, ReadStore, sourceOf } from '@lp/read-models';
import { ServiceRuntime } from '@lp/runtime';
import { Ops } from '../libs/runtime/src/ops/ops';
import { FORWARDED_TYPES, prefill } from './forwarder-bench';

const EVENTS = Number(process.env.BENCH_OPS_EVENTS ?? 100_000);

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
      for await (const line of ops.exportLines('order.events', {}, maskPii)) {
        lines++;
        bytes += Buffer.byteLength(line);
      }
      const seconds = (performance.now() - begun) / 1000;
      return { lines, eventsPerSecond: Math.round(lines / seconds), megabytesPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)) };
    };
    const [plain, masked] = [await exportRun(false), await exportRun(true)];

    const result = {
      events: EVENTS,
      rebuild: { ms: Math.round(rebuildMs), eventsPerSecond: Math.round(EVENTS / (rebuildMs / 1000)), rows, rssBeforeMb: mb(rssBefore), peakRssMb: mb(peakRss) },
      export: { plain, masked },
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
