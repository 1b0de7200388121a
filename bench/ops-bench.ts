/**
 * `npm run -s build && node dist/bench/ops-bench.js` — what the ops tools cost on a big store:
 *   1. a blue/green rebuild of an order-list projection (one row per order, updated by each of its
 *      events) over BENCH_OPS_EVENTS stored events, BENCH_OPS_REBUILDS times (3) one after another:
 *      the median's time and events/s (each run's time beside it: this machine's speed moves by a
 *      third from hour to hour), and the peak RSS of this process over all of them. The
 *      read store is the embedded runtime's (a SqliteReadStore opened as embedded-app.ts opens it),
 *      the rows are shaped like 注文一覧's (OrderView) and the projection declares what
 *      orderScreensProjection declares for them (its indexes, partial text index, counted default),
 *      so the figure is what `POST /ops/projections/order-screens/rebuild` costs the product;
 *      BENCH_OPS_READ_STORE=memory rebuilds into the in-memory store instead (tests, time travel),
 *      BENCH_OPS_PROJECTION=noop with a projection that writes nothing (the subscription's own
 *      cost: events read, decoded, handed over and checkpointed); BENCH_OPS_CPU_PROF=<dir> writes a
 *      V8 CPU profile of the rebuild alone there (ops-rebuild.cpuprofile);
 *   2. the audit export of the same events as NDJSON, plain and with PII masking: events/s and MB/s;
 *   3. `GET /orders/:id?asOf=` over HTTP against the embedded server (dist/services/embedded, a child
 *      process on a fresh data directory) for an order whose stream holds BENCH_ASOF_EVENTS events
 *      (1,000: created, then accepted and its acceptance revoked in turn, each through the API), with
 *      an instant after the last event so every event is replayed, BENCH_ASOF_RUNS times (200, one
 *      at a time): p50 / p99 ms, next to a plain GET of the same order (the read model) for scale.
 * The stored events of 1 and 2 are the forwarder bench's (~600 bytes of data each, 10 per order
 * stream), interleaved as a store's history is: ORDERS_IN_FLIGHT orders at a time, each getting its
 * next event in turn, so an order's events lie that many events apart. Prints one JSON line of
 * results; exits 1 only when it could not run.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventEnvelope } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { defineProjection, InMemoryReadStore, ProjectionRunner, ReadStore, sourceOf } from '@lp/read-models';
import { SqliteReadStore } from '@lp/read-models/sqlite';
import { orderScreensProjection } from '../services/order/src/projections/orders.projection';
import { COLLECTIONS, OrderView } from '../services/order/src/projections/views';
import { orderRow } from './list-bench';
import { ServiceRuntime } from '@lp/runtime';
import { Ops } from '../libs/runtime/src/ops/ops';
import { FORWARDED_TYPES } from './forwarder-bench';
import { benchEvent } from './lib/bench-event';
import { HttpClient, Reply } from './lib/http-client';
import { freePort, ServerProcess } from './lib/server';
import { watchEventLoop } from './lib/loop-watch';
import { profiled } from './lib/profile-window';
import { summarize } from './lib/stats';
import { benchToken } from './lib/token';

const EVENTS = Number(process.env.BENCH_OPS_EVENTS ?? 100_000);
const AS_OF_EVENTS = Number(process.env.BENCH_ASOF_EVENTS ?? 1_000);
const AS_OF_RUNS = Number(process.env.BENCH_ASOF_RUNS ?? 200);
const READ_STORE = process.env.BENCH_OPS_READ_STORE ?? 'sqlite';
const PROJECTION = process.env.BENCH_OPS_PROJECTION ?? 'order-list';
const PROFILE_DIR = process.env.BENCH_OPS_CPU_PROF;
const REBUILDS = Math.max(1, Number(process.env.BENCH_OPS_REBUILDS ?? 3));
/** Orders whose lives overlap in the prefilled history: an order's events lie this many events apart. */
const ORDERS_IN_FLIGHT = 10_000;
const EVENTS_PER_ORDER = 10;

type BenchData = { orderId: string; n: number; lines: unknown[] };
/** The statuses the bench's event types stand for (the prefilled streams cycle through them). */
const STATUS_OF: Record<string, OrderView['status']> = { CustomerRegistered: 'APPLIED', OrderAccepted: 'ACCEPTED', OrderPlaced: 'PLACED', OrderCancelled: 'CANCELLED' };

/** 注文一覧's rows, indexes, text index and counted default, fed by the bench's event types. */
const orderList = defineProjection({
  name: 'bench-order-list',
  collections: [COLLECTIONS.orders],
  indexes: { [COLLECTIONS.orders]: orderScreensProjection.indexes?.[COLLECTIONS.orders] ?? [] },
  textIndexes: { [COLLECTIONS.orders]: orderScreensProjection.textIndexes![COLLECTIONS.orders] },
  countedFilters: { [COLLECTIONS.orders]: orderScreensProjection.countedFilters![COLLECTIONS.orders] },
  on: Object.fromEntries(
    FORWARDED_TYPES.map((type) => [
      type,
      async (event: EventEnvelope, store: ReadStore) => {
        const data = event.data as BenchData;
        const status = { status: STATUS_OF[type], statusLabel: STATUS_OF[type] };
        // As orderScreensProjection does: a stream's first event makes the row (stream k is order k
        // of the list bench's spread: resellers, dates, words), each later one changes the row it finds.
        const change =
          data.n % EVENTS_PER_ORDER === 0
            ? () => ({ ...orderRow(Math.floor(data.n / EVENTS_PER_ORDER)), id: data.orderId, ...status })
            : (current: OrderView | undefined) => ({ ...current!, ...status, updatedAt: event.occurredAt });
        await store.collection<OrderView>(COLLECTIONS.orders).apply(data.orderId, sourceOf(event), change);
      },
    ]),
  ),
});

/** Handles the same events and writes nothing: what is left is the subscription's own cost. */
const noop = defineProjection({ name: 'bench-noop', collections: [], on: Object.fromEntries(FORWARDED_TYPES.map((type) => [type, async () => undefined])) });

/**
 * EVENTS events of EVENTS / EVENTS_PER_ORDER order streams, ORDERS_IN_FLIGHT streams at a time, one
 * event of each per commit round. Event data `n` is the stream's index × 10 + the event's, so the
 * projection's row for stream k is the list bench's order k.
 */
async function prefillInterleaved(store: SqliteEventStore): Promise<void> {
  const orders = Math.ceil(EVENTS / EVENTS_PER_ORDER);
  for (let first = 0; first < orders; first += ORDERS_IN_FLIGHT) {
    const wave = Array.from({ length: Math.min(ORDERS_IN_FLIGHT, orders - first) }, (_, i) => ({ index: first + i, orderId: randomUUID(), correlationId: randomUUID() }));
    for (let event = 0; event < EVENTS_PER_ORDER; event++) {
      const appends = wave
        .filter(({ index }) => index * EVENTS_PER_ORDER + event < EVENTS)
        .map(({ index, orderId, correlationId }) => ({
          streamId: `order-${orderId}`,
          events: [benchEvent(FORWARDED_TYPES[event % FORWARDED_TYPES.length], orderId, index * EVENTS_PER_ORDER + event, correlationId)],
          expectedRevision: event === 0 ? ('no_stream' as const) : event - 1,
        }));
      await store.appendAtomically(() => appends);
    }
  }
}

/** The read store the rebuild writes to: the embedded runtime's by default. */
function benchReadStore(dir: string): ReadStore {
  if (READ_STORE === 'memory') return new InMemoryReadStore();
  // As embedded-app.ts opens each service's read-model file.
  return SqliteReadStore.open({ filename: join(dir, 'order.read-models.sqlite'), synchronous: 'NORMAL', commitDelayMs: 10 });
}

/** Same shape as the HTTP bench's customers. */
const CUSTOMER = {
  companyName: '株式会社ベンチ',
  companyNameKana: 'カブシキガイシャベンチ',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'bench@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
};

function expectStatus(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 400)}`);
  return reply;
}

/**
 * `GET /orders/:id?asOf=` as a client calls it, on an order whose stream holds AS_OF_EVENTS events
 * (made through the API: accept and revoke-acceptance in turn), AS_OF_RUNS times one at a time.
 */
async function asOfOverHttp(dir: string) {
  const port = await freePort();
  const server = new ServerProcess({ dataDir: join(dir, 'server'), port, synchronous: 'NORMAL', logFile: join(dir, 'server.log') });
  await server.start();
  try {
    const client = new HttpClient('127.0.0.1', port, benchToken(), 1);
    const customerId = expectStatus(await client.post('/customers', CUSTOMER), 201, 'POST /customers').body.id;
    const orderId = expectStatus(await client.post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }), 201, 'POST /orders').body.id;
    for (let n = 1; n < AS_OF_EVENTS; n++) {
      const step = n % 2 === 1 ? 'accept' : 'revoke-acceptance';
      expectStatus(await client.post(`/orders/${orderId}/${step}`), 200, `POST /orders/:id/${step}`);
    }
    const history = expectStatus(await client.get(`/orders/${orderId}/history`), 200, 'GET /orders/:id/history').body as unknown[];
    if (history.length !== AS_OF_EVENTS) throw new Error(`the order's stream holds ${history.length} events, not ${AS_OF_EVENTS}`);
    const asOf = new Date().toISOString();
    const timed = async (path: string) => {
      const samples: number[] = [];
      expectStatus(await client.get(path), 200, `GET ${path}`); // warm-up
      for (let run = 0; run < AS_OF_RUNS; run++) {
        const begun = performance.now();
        expectStatus(await client.get(path), 200, `GET ${path}`);
        samples.push(performance.now() - begun);
      }
      return summarize(samples);
    };
    const { p50, p99, max } = await timed(`/orders/${orderId}?asOf=${encodeURIComponent(asOf)}`);
    const plain = await timed(`/orders/${orderId}`);
    return {
      via: 'GET /orders/:id?asOf= (HTTP, embedded server)',
      streamEvents: AS_OF_EVENTS,
      runs: AS_OF_RUNS,
      p50Ms: round1(p50),
      p99Ms: round1(p99),
      maxMs: round1(max),
      withoutAsOf: { p50Ms: round1(plain.p50), p99Ms: round1(plain.p99) },
    };
  } finally {
    await server.stop();
  }
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-ops-bench-'));
  const store = new SqliteEventStore({ filename: join(dir, 'order.sqlite'), synchronous: 'NORMAL' });
  const bus = new InProcessEventBus({ filename: ':memory:' });
  let readStore: ReadStore | undefined;
  try {
    await prefillInterleaved(store);
    readStore = benchReadStore(dir);
    const runner = new ProjectionRunner({ eventStore: store, readStore, projection: PROJECTION === 'noop' ? noop : orderList });
    const firstBuildStarted = performance.now();
    await runner.start();
    await runner.caughtUp();
    const firstBuildMs = performance.now() - firstBuildStarted;

    const sampler = setInterval(sampleRss, 50);
    const loopWatch = watchEventLoop();
    const rssBefore = process.memoryUsage().rss;
    const runsMs: number[] = [];
    for (let run = 0; run < REBUILDS; run++) {
      const started = performance.now();
      // Only the first run is profiled: a profile of each would say the same.
      await (run === 0 ? profiled(PROFILE_DIR, 'ops-rebuild', () => runner.rebuild()) : runner.rebuild());
      runsMs.push(Math.round(performance.now() - started));
    }
    // The median (nearest rank: of an even count, the lower middle), never an average a slow run could hide in.
    const rebuildMs = summarize(runsMs).p50;
    const loopHeldMs = loopWatch.stop();
    clearInterval(sampler);
    sampleRss();
    const rows = (await readStore.collection(COLLECTIONS.orders).find({ limit: 0 })).total;
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
    const asOf = await asOfOverHttp(dir);

    const result = {
      events: EVENTS,
      rebuild: { readStore: READ_STORE, ms: Math.round(rebuildMs), runsMs, eventsPerSecond: Math.round(EVENTS / (rebuildMs / 1000)), rows, rssBeforeMb: mb(rssBefore), peakRssMb: mb(peakRss), firstBuildMs: Math.round(firstBuildMs), loopHeldMaxMs: round1(loopHeldMs) },
      export: { plain, masked },
      asOf,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await bus.close();
    await readStore?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

main().catch((error: unknown) => {
  process.stderr.write(`ops bench could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
