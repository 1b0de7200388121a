import { anEvent, busyHandler } from '@lp/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventToAppend, RecordedEvent } from '@lp/eventsourcing';
import { DuplicateEventIdError, SqliteCheckpointStore, SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { eventStoreContract } from './event-store.contract';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-es-'));
  dirs.push(dir);
  return join(dir, 'events.db');
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

eventStoreContract('SqliteEventStore on a file', async () => ({ store: new SqliteEventStore({ filename: tempFile() }) }), { appendsAtomically: true, countsAll: true });
eventStoreContract('SqliteEventStore in memory', async () => ({ store: new SqliteEventStore({ filename: ':memory:' }) }), { appendsAtomically: true, countsAll: true });

const event = (n: number): EventToAppend => anEvent('Happened', { n });

describe('SqliteEventStore specifics', () => {
  it('numbers positions from 1 without gaps', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await store.appendToStream('order-1', [event(1), event(2)]);
    await store.appendToStream('order-2', [event(3)]);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
    await store.close();
  });

  it("reads each event's actor as appended, from memory and from the file, and no reader can change another reader's", async () => {
    const filename = tempFile();
    const actors = Array.from({ length: 1_200 }, (_, i) => ({ id: `u-${i % 1_100}`, resellerId: `r-${i % 7}`, roles: ['reseller-staff'] }));
    const first = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
    for (const [i, actor] of actors.entries()) await first.appendToStream(`order-${i}`, [anEvent('Happened', { i }, { actor })]);
    const fromTail = await first.readAll();
    await first.close();
    const reopened = new SqliteEventStore({ filename });
    const fromFile = await reopened.readAll();
    await reopened.close();

    for (const read of [fromTail, fromFile]) expect(read.map((e) => e.actor)).toEqual(actors);
    const [one, sameActor] = [fromFile[0], fromFile[1_100]];
    expect(() => ((one.actor as { id: string }).id = 'someone else')).toThrow(TypeError);
    expect(() => one.actor.roles!.push('admin-agent')).toThrow(TypeError);
    expect(sameActor.actor).toEqual({ id: 'u-0', resellerId: 'r-1', roles: ['reseller-staff'] });
  });

  it('keeps everything across close and reopen, and positions continue', async () => {
    const filename = tempFile();
    const first = new SqliteEventStore({ filename });
    await first.appendToStream('order-1', [event(1), event(2)], { expectedRevision: 'no_stream' });
    await first.close();

    const second = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
    expect((await second.readStream('order-1')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    const result = await second.appendToStream('order-1', [event(3)], { expectedRevision: 1 });
    expect(result).toEqual({ nextExpectedRevision: 2, position: 3 });
    await expect(second.appendToStream('order-1', [event(4)], { expectedRevision: 'no_stream' })).rejects.toThrow(
      'expected revision no_stream, actual 2',
    );
    await second.close();
  });

  it('sees events appended by another store on the same file through polling', async () => {
    const filename = tempFile();
    const writer = new SqliteEventStore({ filename });
    const reader = new SqliteEventStore({ filename, pollIntervalMs: 20 });
    const received: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({}, (e) => void received.push(e));
    await subscription.caughtUp();

    await writer.appendToStream('order-1', [event(1), event(2)]);
    const deadline = Date.now() + 2000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received.map((e) => e.position)).toEqual([1, 2]);

    // caughtUp() called after the other process appended must include those events.
    await writer.appendToStream('order-1', [event(3)]);
    await subscription.caughtUp();
    expect(received.map((e) => e.position)).toEqual([1, 2, 3]);
    await reader.close();
    await writer.close();
  });

  it('delivers events another store appended between two of its own, without waiting for a poll', async () => {
    const filename = tempFile();
    const own = new SqliteEventStore({ filename, pollIntervalMs: 60_000 });
    const other = new SqliteEventStore({ filename });
    try {
      const received: number[] = [];
      const subscription = own.subscribeToAll({}, (e) => void received.push(e.data as number));
      await own.appendToStream('order-1', [anEvent('Happened', 1)]);
      await subscription.caughtUp();
      await other.appendToStream('order-2', [anEvent('Happened', 2)]);
      await own.appendToStream('order-1', [anEvent('Happened', 3)]);
      await subscription.caughtUp();
      expect(received).toEqual([1, 2, 3]);
    } finally {
      await own.close();
      await other.close();
    }
  });

  it('commits a group in which appends fail, with the others and nothing of the failed ones, also for a live subscription', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const once = event(1);
    await store.appendToStream('order-1', [once]);
    const delivered: [number, string][] = [];
    const subscription = store.subscribeToAll({}, (e) => void delivered.push([e.position, e.streamId]));
    await subscription.caughtUp();
    const results = await Promise.allSettled([
      store.appendToStream('order-2', [event(2)]),
      store.appendToStream('order-3', [once]),
      // Its first event is written, then rolled back with its savepoint when the second is refused.
      store.appendToStream('order-5', [event(3), once]),
      store.appendToStream('order-4', [event(4), event(5)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    const stored = [
      [1, 'order-1'],
      [2, 'order-2'],
      [3, 'order-4'],
      [4, 'order-4'],
    ];
    expect((await store.readAll()).map((e) => [e.position, e.streamId])).toEqual(stored);
    await subscription.caughtUp();
    expect(delivered).toEqual(stored);
    await store.close();
  });

  it('announces a group whose last append wrote no events, so a live subscription gets the others without waiting for a poll', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 60_000 });
    try {
      const received: number[] = [];
      const subscription = store.subscribeToAll({}, (e) => void received.push(e.position));
      await subscription.caughtUp();
      await Promise.all([store.appendToStream('order-1', [event(1)]), store.appendToStream('order-2', [], { expectedRevision: 'any' })]);
      const deadline = Date.now() + 1000;
      while (received.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toEqual([1]);
    } finally {
      await store.close();
    }
  });

  it('reads a large catch-up in bounded batches without skipping', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', subscriptionBatchSize: 7 });
    for (let i = 0; i < 10; i++) await store.appendToStream(`order-${i}`, Array.from({ length: 10 }, (_, n) => event(n)));
    await store.appendToStream('contract-1', [event(0)]);
    const positions: number[] = [];
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['order-'] } }, (e) => void positions.push(e.position));
    await subscription.caughtUp();
    expect(positions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await store.close();
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('lets timers and requests run during a long catch-up instead of holding the thread until it ends', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    for (let i = 0; i < 200; i++) await store.appendToStream(`order-${i}`, [event(i)]);
    const { handle, state } = busyHandler(1);
    try {
      const subscription = store.subscribeToAll({}, handle);
      await subscription.caughtUp();
      expect(state.handled).toBe(200);
      // 200 events at 1 ms each: a timer set at the first one runs long before the last.
      expect(state.handledWhenTimerRan).toBeLessThan(100);
    } finally {
      await store.close();
    }
  });

  it('commits concurrent appends together but checks each one separately', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const results = await Promise.allSettled([
      store.appendToStream('order-1', [event(1)], { expectedRevision: 'no_stream' }),
      store.appendToStream('order-2', [event(2)], { expectedRevision: 'stream_exists' }),
      store.appendToStream('order-1', [event(3)], { expectedRevision: 0 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.readAll()).map((e) => [e.streamId, e.data])).toEqual([
      ['order-1', { n: 1 }],
      ['order-1', { n: 3 }],
    ]);
    await store.close();
  });

  it('refuses a duplicate eventId and writes nothing of that append', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const once = event(1);
    await store.appendToStream('order-1', [once]);
    const error = await store.appendToStream('order-2', [event(2), once]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ eventId: once.eventId, streamId: 'order-2' });
    expect(await store.readStream('order-2')).toEqual([]);
    await store.close();
  });

  it('keeps checkpoints in the same file across reopen', async () => {
    const filename = tempFile();
    const store = new SqliteEventStore({ filename });
    expect(await store.checkpoints().load('forwarder')).toBeUndefined();
    await store.checkpoints().store('forwarder', 42);
    await store.checkpoints().store('forwarder', 43);
    await store.close();

    const reopened = new SqliteEventStore({ filename });
    expect(await reopened.checkpoints().load('forwarder')).toBe(43);
    await reopened.close();
    const standalone = new SqliteCheckpointStore(filename);
    expect(await standalone.load('forwarder')).toBe(43);
    expect(await standalone.load('other')).toBeUndefined();
    await standalone.close();
  });

  it('commits its checkpoints without waiting for the disk, and its appends still with synchronous FULL', async () => {
    const store = new SqliteEventStore({ filename: tempFile(), synchronous: 'FULL' });
    const levels: number[] = [];
    const pragma = store.db.pragma.bind(store.db);
    const spy = jest.spyOn(store.db, 'pragma').mockImplementation(((source: string, options?: { simple?: boolean }) => {
      const result = pragma(source, options);
      levels.push(pragma('synchronous', { simple: true }) as number);
      return result;
    }) as typeof store.db.pragma);
    try {
      await store.checkpoints().store('forwarder', 7);
      // NORMAL (1) while the checkpoint commits, FULL (2) again after it.
      expect(levels).toContain(1);
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      await store.appendToStream('order-9', [event(1)], { expectedRevision: 'no_stream' });
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(await store.checkpoints().load('forwarder')).toBe(7);
    } finally {
      spy.mockRestore();
      await store.close();
    }
  });
});
