import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Logger } from '@nestjs/common';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { SubscriptionStatus } from '@lp/messaging';
import { ServiceRuntime } from '@lp/runtime';
import { anEvent } from '@lp/testing';
import { watchRuntime } from '../src/status';

describe("watchRuntime: the event store's head and what the store's subscriptions lag behind it", () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'watch-runtime-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A runtime of one forwarder that never catches up (its status is what a scrape shows). */
  const runtimeWith = (eventStore: Pick<SqliteEventStore, 'headPosition'>, forwarder: SubscriptionStatus) =>
    ({
      definition: { name: 'order' },
      eventStore,
      readStore: { loadCheckpoint: async () => undefined },
      forwarder: { status: forwarder, caughtUp: () => new Promise<void>(() => undefined) },
      projections: [],
      busProjections: [],
      workers: [],
    }) as unknown as ServiceRuntime;

  it('shows a store subscription behind the head by the events it has not handled, and the head itself', async () => {
    for (let i = 0; i < 5; i++) await store.appendToStream(`order-${i}`, [anEvent('OrderCreated')]);
    const forwarder = new SubscriptionStatus('order-forwarder', 'forwarder');
    forwarder.advanced(2);
    const status = watchRuntime(runtimeWith(store, forwarder));
    await status.sample(); // pings the store: the head
    await status.sample(); // hands the head to the subscriptions
    expect(forwarder.snapshot()).toMatchObject({ checkpoint: 2, head: 5, lag: 3 });
    expect((await status.verdicts())[0]).toEqual({ name: 'order.event-store', ok: true, detail: {} });
  });

  it('names the event store unreachable when its head cannot be read', async () => {
    const down = { headPosition: () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) };
    const status = watchRuntime(runtimeWith(down, new SubscriptionStatus('order-forwarder', 'forwarder')));
    expect((await status.verdicts())[0]).toMatchObject({ name: 'order.event-store', ok: false, error: 'event-store unreachable: SQLITE_IOERR: disk I/O error' });
  });
});
