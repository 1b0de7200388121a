import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { benchEvent } from './lib/bench-event';

export type Synchronous = 'FULL' | 'NORMAL';

export interface StoreResult {
  mode: string;
  synchronous: Synchronous;
  events: number;
  appends: number;
  ms: number;
  eventsPerSecond: number;
  /** The bench process's CPU per event over the timed part (it is the store's process here). */
  cpuUsPerEvent?: number;
}

async function withStore(synchronous: Synchronous, body: (store: SqliteEventStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-store-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous });
  try {
    await body(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `total` events, `batch` per append, one append at a time (each append is its own commit), a new stream each.
 * Only the appendToStream calls are timed (they include the store's setImmediate hop before the commit).
 */
export async function batchedAppends(synchronous: Synchronous, total: number, batch: number): Promise<StoreResult> {
  let ms = 0;
  const appends = Math.ceil(total / batch);
  await withStore(synchronous, async (store) => {
    for (let a = 0; a < appends; a++) {
      const streamId = `benchorder-${a}`;
      const correlationId = randomUUID();
      // Building the events is the caller's work: only the append itself is timed.
      const events = Array.from({ length: batch }, (_, i) => benchEvent('BenchOrderLineAdded', streamId, i, correlationId));
      const started = performance.now();
      await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
      ms += performance.now() - started;
    }
  });
  return { mode: `batched ${batch}/append`, synchronous, events: appends * batch, appends, ms, eventsPerSecond: (appends * batch * 1000) / ms };
}

export interface SingleAppendsSetting {
  /** Live subscriptions of the store while it appends, as a service runs them (forwarder, projections, reactors). */
  liveSubscriptions?: number;
  /** Events in the store before the timed appends (in appends of 100): a store that is not new. */
  prefilledEvents?: number;
}

/**
 * `total` single-event appends spread over `streams` streams with an expected revision each, `inFlight`
 * appends outstanding at once (1 = strictly sequential: one commit per event; more = the store's group commit).
 */
export async function singleAppends(
  synchronous: Synchronous,
  total: number,
  streams: number,
  inFlight: number,
  { liveSubscriptions = 0, prefilledEvents = 0 }: SingleAppendsSetting = {},
): Promise<StoreResult> {
  let ms = 0;
  let cpuUs = 0;
  // Worker w owns the streams s ≡ w (mod inFlight), so two appends to one stream never race.
  const streamCount = Math.max(1, Math.round(streams / inFlight)) * inFlight;
  await withStore(synchronous, async (store) => {
    for (let filled = 0; filled < prefilledEvents; filled += 100) {
      const streamId = `benchhistory-${filled}`;
      await store.appendToStream(streamId, Array.from({ length: 100 }, (_, i) => benchEvent('BenchOrderLineAdded', streamId, i, randomUUID())));
    }
    const head = await store.headPosition();
    const revisions = new Array<number>(streamCount).fill(-1);
    // Built before the clock starts: only the appends are timed.
    const prepared = Array.from({ length: total }, (_, n) => benchEvent('BenchOrderLineAdded', `benchorder-${n}`, n, randomUUID()));
    // Live subscriptions as a service runs them (forwarder, projections, reactors), each with its own
    // filter; timed until every one has handled the last event.
    const subscriptions = Array.from({ length: liveSubscriptions }, (_, i) =>
      store.subscribeToAll(
        { fromPosition: head, filter: i % 2 ? { streamPrefixes: ['benchorder-'] } : { eventTypePrefixes: ['BenchOrder'] } },
        async () => undefined,
      ),
    );
    let next = 0;
    const worker = async (w: number) => {
      for (let k = 0; ; k++) {
        const n = next++;
        if (n >= total) return;
        const s = (k * inFlight + w) % streamCount;
        const streamId = `benchorder-${s}`;
        const current = revisions[s];
        const result = await store.appendToStream(streamId, [prepared[n]], {
          expectedRevision: current < 0 ? 'no_stream' : current,
        });
        revisions[s] = result.nextExpectedRevision;
      }
    };
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp()));
    const used = process.cpuUsage(cpu);
    ms = performance.now() - started;
    cpuUs = used.user + used.system;
  });
  const subscribed = liveSubscriptions ? `, ${liveSubscriptions} live subscriptions` : '';
  const prefilled = prefilledEvents ? `, after ${Math.round(prefilledEvents / 1000)}k events` : '';
  const mode = (inFlight === 1 ? 'single, sequential' : `single, ${inFlight} in flight`) + subscribed + prefilled;
  return { mode, synchronous, events: total, appends: total, ms, eventsPerSecond: (total * 1000) / ms, cpuUsPerEvent: cpuUs / total };
}
