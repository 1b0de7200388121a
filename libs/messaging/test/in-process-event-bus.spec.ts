import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InProcessEventBus, partitionOf } from '@lp/messaging/in-process';
import { anEnvelope, busyHandler } from '@lp/testing';
import { eventBusContract } from './event-bus.contract';

// The module object itself (not an import's copy of it), so that a spy replaces what the bus calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bus-'));
  dirs.push(dir);
  return join(dir, 'bus.db');
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const fastRetries = [1, 2, 5];
eventBusContract('InProcessEventBus in memory', async () => ({
  bus: new InProcessEventBus({ filename: ':memory:', retryDelaysMs: fastRetries }),
}));
eventBusContract('InProcessEventBus on a file with 4 partitions', async () => ({
  bus: new InProcessEventBus({ filename: tempFile(), partitions: 4, retryDelaysMs: fastRetries }),
}));

const envelope = anEnvelope;

describe('InProcessEventBus specifics', () => {
  it('keeps topics and committed offsets across close and reopen', async () => {
    const filename = tempFile();
    const first = new InProcessEventBus({ filename, partitions: 2 });
    const sent = [envelope('a', 0), envelope('b', 0), envelope('a', 1)];
    await first.publish('order.events', sent);
    const seen: string[] = [];
    const subscription = await first.subscribe({
      groupId: 'billing',
      topics: ['order.events'],
      handler: async (event) => void seen.push(event.eventId),
    });
    await subscription.caughtUp();
    await first.close();

    const reopened = new InProcessEventBus({ filename, partitions: 2 });
    const late = envelope('c', 0);
    await reopened.publish('order.events', [late]);
    const resumed: string[] = [];
    const sameGroup = await reopened.subscribe({
      groupId: 'billing',
      topics: ['order.events'],
      handler: async (event) => void resumed.push(event.eventId),
    });
    const replayed: string[] = [];
    const freshGroup = await reopened.subscribe({
      groupId: 'projection-1',
      topics: ['order.events'],
      handler: async (event) => void replayed.push(event.eventId),
    });
    await Promise.all([sameGroup.caughtUp(), freshGroup.caughtUp()]);
    expect(seen.sort()).toEqual(sent.map((e) => e.eventId).sort());
    expect(resumed).toEqual([late.eventId]);
    expect(replayed.sort()).toEqual([...sent, late].map((e) => e.eventId).sort());
    await reopened.close();
  });

  it('saves committed offsets only after beforeOffsetsSaved (the read models they fed made durable); while it fails, none', async () => {
    const filename = tempFile();
    let readModelsDurable = false;
    const calls: string[] = [];
    const bus = new InProcessEventBus({
      filename,
      beforeOffsetsSaved: () => {
        calls.push(readModelsDurable ? 'synced' : 'refused');
        if (!readModelsDurable) throw new Error('disk I/O error');
      },
    });
    await bus.publish('order.events', [envelope('a', 0)]);
    const subscription = await bus.subscribe({ groupId: 'screens', topics: ['order.events'], handler: async () => undefined });
    await subscription.caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const saved = async () => {
      const reader = new InProcessEventBus({ filename });
      const offset = reader.committedOffset('screens', { topic: 'order.events', partition: 0 });
      await reader.close();
      return offset;
    };
    expect(calls).toContain('refused');
    expect(await saved()).toBe(0);

    readModelsDurable = true;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toContain('synced');
    expect(await saved()).toBe(1);
    await bus.close();
  });

  it('waits for an asynchronous beforeOffsetsSaved (read models flushed off the event loop) before saving offsets', async () => {
    const filename = tempFile();
    let release!: () => void;
    const flushed = new Promise<void>((resolve) => (release = resolve));
    const bus = new InProcessEventBus({ filename, beforeOffsetsSaved: () => flushed });
    await bus.publish('order.events', [envelope('a', 0)]);
    const subscription = await bus.subscribe({ groupId: 'screens', topics: ['order.events'], handler: async () => undefined });
    await subscription.caughtUp();
    const saved = async () => {
      const reader = new InProcessEventBus({ filename });
      const offset = reader.committedOffset('screens', { topic: 'order.events', partition: 0 });
      await reader.close();
      return offset;
    };
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await saved()).toBe(0);

    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await saved()).toBe(1);
    await bus.close();
  });

  it('sync() fails when the log cannot be flushed, so that nobody takes it as durable', async () => {
    const bus = new InProcessEventBus({ filename: tempFile() });
    await bus.publish('order.events', [envelope('a', 0)]);
    const failing = jest.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, callback: (error: Error | null) => void) =>
      callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))) as typeof fs.fdatasync);
    try {
      await expect(bus.sync()).rejects.toThrow('EIO');
    } finally {
      failing.mockRestore();
    }
    // The next sync() flushes again instead of taking the log as already durable.
    const flushes = jest.spyOn(fs, 'fdatasync');
    await expect(bus.sync()).resolves.toBeUndefined();
    expect(flushes).toHaveBeenCalledTimes(1);
    flushes.mockRestore();
    await bus.close();
  });

  it('puts one key in one partition and assigns offsets from 0 per partition', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:', partitions: 8 });
    await bus.publish('t', [envelope('a', 0), envelope('b', 0), envelope('a', 1)]);
    const deliveries: { key: string; partition: number; offset: number }[] = [];
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async (event, delivery) => void deliveries.push({ key: event.streamId, ...delivery }),
    });
    await subscription.caughtUp();
    const ofA = deliveries.filter((d) => d.key === 'order-a');
    expect(ofA.map((d) => d.partition)).toEqual([partitionOf('a', 8), partitionOf('a', 8)]);
    expect(ofA.map((d) => d.offset)).toEqual(partitionOf('a', 8) === partitionOf('b', 8) ? [0, 2] : [0, 1]);
    await bus.close();
  });

  it('shares a group between two live subscriptions: each message is handled once', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:', partitions: 4 });
    const handledBy: Record<string, string[]> = { one: [], two: [] };
    const subscribe = (name: string) =>
      bus.subscribe({ groupId: 'shared', topics: ['t'], handler: async (event) => void handledBy[name].push(event.eventId) });
    const [one, two] = await Promise.all([subscribe('one'), subscribe('two')]);
    const sent = Array.from({ length: 20 }, (_, i) => envelope(`k${i}`, 0));
    await bus.publish('t', sent);
    await Promise.all([one.caughtUp(), two.caughtUp()]);
    expect([...handledBy.one, ...handledBy.two].sort()).toEqual(sent.map((e) => e.eventId).sort());

    // When one member leaves, the other takes over its partitions from the committed offsets.
    await one.stop();
    const more = Array.from({ length: 10 }, (_, i) => envelope(`k${i}`, 1));
    await bus.publish('t', more);
    await two.caughtUp();
    expect(handledBy.two).toEqual(expect.arrayContaining(more.map((e) => e.eventId)));
    expect(handledBy.one.length + handledBy.two.length).toBe(30);
    await bus.close();
  });

  it('lets timers and requests run while a consumer works through a backlog instead of holding the thread until it ends', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:' });
    await bus.publish('t', Array.from({ length: 200 }, (_, i) => envelope(`k${i}`, 0)));
    const { handle, state } = busyHandler(1);
    try {
      const subscription = await bus.subscribe({ groupId: 'g', topics: ['t'], handler: handle });
      await subscription.caughtUp();
      expect(state.handled).toBe(200);
      // 200 messages at 1 ms each: a timer set at the first one runs long before the last.
      expect(state.handledWhenTimerRan).toBeLessThan(100);
    } finally {
      await bus.close();
    }
  });

  it('wakes only the consumers of the topic published to: the others do not query their partitions', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:', partitions: 2 });
    const reads: string[] = [];
    const read = bus.read.bind(bus);
    jest.spyOn(bus, 'read').mockImplementation((part, from, limit) => (reads.push(part.topic), read(part, from, limit)));
    const handled: string[] = [];
    const orders = await bus.subscribe({ groupId: 'g', topics: ['orders'], handler: async (event) => void handled.push(event.eventId) });
    const billing = await bus.subscribe({ groupId: 'g', topics: ['billing'], handler: async (event) => void handled.push(event.eventId) });
    await Promise.all([orders.caughtUp(), billing.caughtUp()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    reads.length = 0;

    for (let i = 0; i < 5; i++) await bus.publish('orders', [envelope(`k${i}`, 0)]);
    await orders.caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await bus.close();
    expect(handled).toHaveLength(5);
    expect(reads.filter((topic) => topic === 'billing')).toEqual([]);
    expect(reads.filter((topic) => topic === 'orders').length).toBeGreaterThan(0);
  });

  it('records the error with a parked message, and the retries made', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:', retryDelaysMs: [1, 1] });
    let attempts = 0;
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async () => {
        attempts += 1;
        throw new Error('always fails');
      },
    });
    const poison = envelope('a', 0);
    await bus.publish('t', [poison]);
    await subscription.caughtUp();
    expect(attempts).toBe(3);
    expect(bus.deadLetters('t')).toEqual([
      {
        event: poison,
        error: expect.objectContaining({ message: 'always fails', groupId: 'g', topic: 't', offset: 0, attempts: 3 }),
      },
    ]);
    await bus.close();
  });

  it('does not commit a message whose retries were interrupted by stop', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:', retryDelaysMs: [10_000] });
    let failing = true;
    let calledOnce!: () => void;
    const called = new Promise<void>((resolve) => (calledOnce = resolve));
    const handler = async () => {
      calledOnce();
      if (failing) throw new Error('down');
    };
    const subscription = await bus.subscribe({ groupId: 'g', topics: ['t'], handler });
    await bus.publish('t', [envelope('a', 0)]);
    await called;
    const started = Date.now();
    await subscription.stop();
    expect(Date.now() - started).toBeLessThan(1000);

    failing = false;
    const redelivered: number[] = [];
    const again = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async (event) => void redelivered.push(event.streamRevision),
    });
    await again.caughtUp();
    expect(redelivered).toEqual([0]);
    expect(bus.deadLetters('t')).toEqual([]);
    await bus.close();
  });
});
