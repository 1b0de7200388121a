import { EventEnvelope, EventToAppend, RecordedEvent, RetryPolicy } from '@lp/eventsourcing';
import { until } from '@lp/testing';
import { BusProjectionConsumer } from '../src/bus-projection-consumer';
import { InMemoryReadStore } from '../src/in-memory/in-memory-read-store';
import { defineProjection, Projection } from '../src/projection';
import { ProjectionRunner, RebuildProgress } from '../src/projection-runner';
import { ReadDocument, ReadStore } from '../src/read-store';
import { sourceOf } from '../src/source-version';
import { InMemoryEventBus } from './support/in-memory-event-bus';
import { InMemoryEventStore } from './support/in-memory-event-store';

type OrderEvent =
  | { type: 'OrderPlaced'; data: { orderId: string; customerId: string } }
  | { type: 'OrderLineAdded'; data: { orderId: string; amount: number } }
  | { type: 'OrderCancelled'; data: { orderId: string } };

interface OrderRow extends ReadDocument {
  customerId: string;
  status: 'PLACED' | 'CANCELLED';
  lines: number;
  total: number;
}

interface CustomerRow extends ReadDocument {
  orders: number;
}

let eventIds = 0;
function event(type: string, data: Record<string, unknown>): EventToAppend {
  return {
    type,
    data,
    eventId: `evt-${++eventIds}`,
    schemaVersion: 1,
    occurredAt: '2026-05-01T10:00:00.000Z',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    actor: { id: 'user-1' },
  };
}

/** Orders with a line counter, and per customer an order counter fed by several order streams. */
function orderSummary(): Projection & { applied: string[] } {
  const projection = defineProjection<OrderEvent>({
    name: 'order-summary',
    collections: ['orders', 'customers'],
    on: {
      OrderPlaced: async (event, store) => {
        const { orderId, customerId } = event.data;
        await store.collection<OrderRow>('orders').apply(orderId, sourceOf(event), () => ({ id: orderId, customerId, status: 'PLACED', lines: 0, total: 0 }));
        await store.collection<CustomerRow>('customers').apply(customerId, sourceOf(event), (current) => ({ id: customerId, orders: (current?.orders ?? 0) + 1 }));
      },
      OrderLineAdded: async (event, store) => {
        await store.collection<OrderRow>('orders').apply(event.data.orderId, sourceOf(event), (current) => ({
          ...current!,
          lines: current!.lines + 1,
          total: current!.total + event.data.amount,
        }));
      },
      OrderCancelled: async (event, store) => {
        await store.collection<OrderRow>('orders').apply(event.data.orderId, sourceOf(event), (current) => ({ ...current!, status: 'CANCELLED' }));
      },
    },
  });
  // Records every event the projection is given, to count (re)applications.
  const applied: string[] = [];
  return {
    ...projection,
    applied,
    apply: async (e: RecordedEvent | EventEnvelope, store: ReadStore) => {
      applied.push(`${e.type}:${e.eventId}`);
      await projection.apply(e, store);
    },
  };
}

async function placeOrders(store: InMemoryEventStore) {
  await store.appendToStream('order-o1', [event('OrderPlaced', { orderId: 'o1', customerId: 'c1' }), event('OrderLineAdded', { orderId: 'o1', amount: 10 })]);
  await store.appendToStream('invoice-i1', [event('InvoiceIssued', { invoiceId: 'i1' })]);
  await store.appendToStream('order-o2', [event('OrderPlaced', { orderId: 'o2', customerId: 'c1' })]);
  // Shares a prefix with a handled type but is not handled: the exact type check must drop it.
  await store.appendToStream('order-o2', [event('OrderPlacedAudit', { orderId: 'o2', customerId: 'c1' })]);
  await store.appendToStream('order-o1', [event('OrderLineAdded', { orderId: 'o1', amount: 5 })]);
}

const expectedOrders = {
  o1: { id: 'o1', customerId: 'c1', status: 'PLACED', lines: 2, total: 15 },
  o2: { id: 'o2', customerId: 'c1', status: 'PLACED', lines: 0, total: 0 },
};

async function snapshot(readStore: ReadStore) {
  return {
    orders: (await readStore.collection('orders').find({ sort: { id: 1 } })).items,
    customers: (await readStore.collection('customers').find({ sort: { id: 1 } })).items,
  };
}

describe('ProjectionRunner', () => {
  let eventStore: InMemoryEventStore;
  let readStore: InMemoryReadStore;
  let runners: ProjectionRunner[];

  const run = async (projection: Projection, store: ReadStore = readStore) => {
    const runner = new ProjectionRunner({ eventStore, readStore: store, projection });
    runners.push(runner);
    await runner.start();
    return runner;
  };

  beforeEach(() => {
    eventStore = new InMemoryEventStore();
    readStore = new InMemoryReadStore();
    runners = [];
  });

  afterEach(async () => {
    for (const runner of runners) await runner.stop();
  });

  it('builds documents from past events, then from live ones', async () => {
    await placeOrders(eventStore);
    const runner = await run(orderSummary());
    await runner.caughtUp();

    expect(await readStore.collection('orders').get('o1')).toEqual(expectedOrders.o1);
    expect(await readStore.collection('orders').get('o2')).toEqual(expectedOrders.o2);
    expect(await readStore.collection('customers').get('c1')).toEqual({ id: 'c1', orders: 2 });

    await eventStore.appendToStream('order-o2', [event('OrderCancelled', { orderId: 'o2' })]);
    await runner.caughtUp();
    expect(await readStore.collection<OrderRow>('orders').get('o2')).toMatchObject({ status: 'CANCELLED' });
  });

  it('ignores events of types it does not handle, even those sharing a prefix', async () => {
    await placeOrders(eventStore);
    const projection = orderSummary();
    await (await run(projection)).caughtUp();

    expect(projection.applied.map((entry) => entry.split(':')[0])).toEqual(['OrderPlaced', 'OrderLineAdded', 'OrderPlaced', 'OrderLineAdded']);
  });

  it('saves the position of the last projected event as its checkpoint', async () => {
    await placeOrders(eventStore);
    expect(await readStore.loadCheckpoint('order-summary')).toBeUndefined();
    await (await run(orderSummary())).caughtUp();

    const all = await eventStore.readAll();
    const lastHandled = all.filter((e) => e.type === 'OrderLineAdded').at(-1)!;
    expect(await readStore.loadCheckpoint('order-summary')).toBe(lastHandled.position);
  });

  it('restarts after its checkpoint without reprocessing earlier events', async () => {
    await placeOrders(eventStore);
    const first = orderSummary();
    const runner = await run(first);
    await runner.caughtUp();
    await runner.stop();
    expect(first.applied).toHaveLength(4);

    await eventStore.appendToStream('order-o3', [event('OrderPlaced', { orderId: 'o3', customerId: 'c2' })]);
    const second = orderSummary();
    await (await run(second)).caughtUp();

    expect(second.applied).toEqual([expect.stringMatching(/^OrderPlaced:/)]);
    expect(await readStore.collection('customers').get('c2')).toEqual({ id: 'c2', orders: 1 });
    expect(await readStore.collection('orders').get('o1')).toEqual(expectedOrders.o1);
  });

  it('re-applies an event harmlessly when it crashed between apply and checkpoint', async () => {
    await eventStore.appendToStream('order-o1', [event('OrderPlaced', { orderId: 'o1', customerId: 'c1' })]);
    // Fails the checkpoint of the line event once, as a crash right after the documents were written.
    let failCheckpointAt: number | undefined;
    const crashing: ReadStore = Object.assign(Object.create(readStore) as ReadStore, {
      saveCheckpoint: async (projection: string, position: number) => {
        if (position === failCheckpointAt) {
          failCheckpointAt = undefined;
          throw new Error('crash before checkpoint');
        }
        await readStore.saveCheckpoint(projection, position);
      },
    });
    const projection = orderSummary();
    const runner = await run(projection, crashing);
    await runner.caughtUp();
    failCheckpointAt = (await eventStore.appendToStream('order-o1', [event('OrderLineAdded', { orderId: 'o1', amount: 10 })])).position;

    await expect(runner.caughtUp()).rejects.toThrow('crash before checkpoint');
    await runner.stop();
    await runner.start();
    await runner.caughtUp();

    const lineEvents = projection.applied.filter((entry) => entry.startsWith('OrderLineAdded:'));
    expect(lineEvents).toHaveLength(2);
    expect(new Set(lineEvents).size).toBe(1); // the same event (same eventId) delivered twice
    expect(await readStore.collection('orders').get('o1')).toMatchObject({ lines: 1, total: 10 });
    expect(await readStore.collection('customers').get('c1')).toEqual({ id: 'c1', orders: 1 });
  });

  it('rebuilds from position 0 into the same documents, dropping anything else in its collections', async () => {
    await placeOrders(eventStore);
    const projection = orderSummary();
    const runner = await run(projection);
    await runner.caughtUp();
    const before = await snapshot(readStore);
    await readStore.collection('orders').apply('stray', { streamId: 'manual', revision: 0 }, () => ({ id: 'stray' }));

    await runner.rebuild();
    await runner.caughtUp();

    expect(projection.applied).toHaveLength(8); // every handled event, twice
    expect(await snapshot(readStore)).toEqual(before);
    expect(before.orders).toEqual([expectedOrders.o1, expectedOrders.o2]);
    expect(await readStore.collection('orders').get('stray')).toBeUndefined();
  });

  describe('blue/green rebuild', () => {
    /** Holds the rebuild's applies (those not writing to the live store) until released. */
    function gated(projection: Projection) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let held = 0;
      const wrapped: Projection = {
        ...projection,
        apply: async (e, store) => {
          if (store !== readStore && ++held > 1) await gate;
          await projection.apply(e, store);
        },
      };
      return { projection: wrapped, release };
    }

    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    it('keeps answering from the live version while the new one builds, then swaps to it', async () => {
      await placeOrders(eventStore);
      const base = orderSummary();
      const { projection, release } = gated(base);
      const runner = await run(projection);
      await runner.caughtUp();
      await readStore.collection('orders').apply('stray', { streamId: 'manual', revision: 0 }, () => ({ id: 'stray' }));

      const rebuilt = runner.rebuild();
      await until(async () => (await runner.status()).rebuild?.done === 1);
      const during = await runner.status();
      expect(during).toMatchObject({ state: 'rebuilding', version: 0, rebuild: { version: 1, step: 'filling', done: 1, total: 4 } });
      // The live version still answers, with everything, and still follows new events.
      expect(await readStore.collection('orders').get('o1')).toEqual(expectedOrders.o1);
      await eventStore.appendToStream('order-o2', [event('OrderCancelled', { orderId: 'o2' })]);
      await until(async () => (await readStore.collection<OrderRow>('orders').get('o2'))?.status === 'CANCELLED');
      expect(await readStore.collection<OrderRow>('orders').get('o2')).toMatchObject({ status: 'CANCELLED' });

      release();
      await rebuilt;
      await runner.caughtUp();

      const after = await runner.status();
      expect(after).toMatchObject({ state: 'running', version: 1 });
      expect(after.rebuild).toBeUndefined();
      expect(await snapshot(readStore)).toEqual({
        orders: [expectedOrders.o1, { ...expectedOrders.o2, status: 'CANCELLED' }],
        customers: [{ id: 'c1', orders: 2 }],
      });
      expect(await readStore.collection('orders').get('stray')).toBeUndefined();
      // The swapped-in version follows live events too.
      await eventStore.appendToStream('order-o3', [event('OrderPlaced', { orderId: 'o3', customerId: 'c2' })]);
      await runner.caughtUp();
      expect(await readStore.collection('orders').get('o3')).toMatchObject({ customerId: 'c2' });
      expect(await readStore.loadCheckpoint('order-summary')).toBe((await eventStore.readAll()).at(-1)!.position);
    });

    it('says when the new version is being cleared of an interrupted rebuild, indexed once every event is in, and then promoted', async () => {
      await placeOrders(eventStore);
      const runner = await run({ ...orderSummary(), indexes: { orders: [{ status: 1 as const }] } });
      await runner.caughtUp();
      const steps = rebuildStepsSeen(readStore, async () => (await runner.status()).rebuild);
      await runner.rebuild();
      expect(steps).toEqual(['cleared while clearing', 'indexed orders while indexing, 4 events in', 'promoted while promoting']);
      expect((await runner.status()).rebuild).toBeUndefined();
    });

    it('refuses a second rebuild while one runs', async () => {
      await placeOrders(eventStore);
      const { projection, release } = gated(orderSummary());
      const runner = await run(projection);
      const first = runner.rebuild();
      await expect(runner.rebuild()).rejects.toThrow('already being rebuilt');
      release();
      await first;
      expect((await runner.status()).version).toBe(1);
    });

    it('reports lag: handled events after the checkpoint', async () => {
      await placeOrders(eventStore);
      const runner = await run(orderSummary());
      await runner.caughtUp();
      expect(await runner.lag()).toEqual({ count: 0, capped: false });
      await runner.stop();
      await eventStore.appendToStream('order-o2', [event('OrderCancelled', { orderId: 'o2' }), event('OrderPlacedAudit', { orderId: 'o2' })]);
      await eventStore.appendToStream('order-o9', [event('OrderPlaced', { orderId: 'o9', customerId: 'c1' })]);
      expect(await runner.lag()).toEqual({ count: 2, capped: false });
      expect(await runner.lag(1)).toEqual({ count: 1, capped: true });
      expect((await runner.status()).state).toBe('stopped');
    });
  });

  it('opens one subscription when started twice at once', async () => {
    await placeOrders(eventStore);
    const projection = orderSummary();
    const runner = new ProjectionRunner({ eventStore, readStore, projection });
    runners.push(runner);
    await Promise.all([runner.start(), runner.start()]);
    await runner.caughtUp();
    expect(projection.applied).toHaveLength(4);
  });

  it('refuses to start when its checkpoint is ahead of the store (a fresh DATA_DIR beside an old read database), saying what to do', async () => {
    await placeOrders(eventStore);
    await readStore.saveCheckpoint('order-summary', 999);
    const runner = new ProjectionRunner({ eventStore, readStore, projection: orderSummary() });
    await expect(runner.start()).rejects.toThrow(/checkpoint \(position 999\) is ahead of the event store's newest event \(position \d+\).*Drop the read database/);
    expect(await readStore.collection('orders').get('o1')).toBeUndefined();
  });

  it('waits out a read-store outage in place: nothing skipped, nothing stopped', async () => {
    await placeOrders(eventStore);
    let outage = 3;
    const flaky = Object.create(readStore) as ReadStore;
    flaky.saveCheckpoint = async (name, position) => {
      if (outage-- > 0) throw Object.assign(new Error('connection 4 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
      return readStore.saveCheckpoint(name, position);
    };
    const runner = new ProjectionRunner({ eventStore, readStore: flaky, projection: orderSummary(), retryPolicy: new RetryPolicy({ initialDelayMs: 1, maxDelayMs: 5 }) });
    runners.push(runner);
    await runner.start();
    await runner.caughtUp();
    expect(await readStore.collection('orders').get('o1')).toEqual(expectedOrders.o1);
    expect((await runner.status()).state).toBe('running');
  });

  it('refuses caughtUp when not started', async () => {
    const runner = new ProjectionRunner({ eventStore, readStore, projection: orderSummary() });
    await expect(runner.caughtUp()).rejects.toThrow('not running');
  });
});

describe('BusProjectionConsumer', () => {
  it('projects handled envelopes from the bus, skipping other types and redelivered events', async () => {
    const bus = new InMemoryEventBus();
    const readStore = new InMemoryReadStore();
    const projection = orderSummary();
    const envelope = (streamId: string, streamRevision: number, e: EventToAppend): EventEnvelope => ({ ...e, streamId, streamRevision });
    const placed = envelope('order-o1', 0, event('OrderPlaced', { orderId: 'o1', customerId: 'c1' }));
    const line = envelope('order-o1', 1, event('OrderLineAdded', { orderId: 'o1', amount: 7 }));

    const consumer = new BusProjectionConsumer({ bus, readStore, projection, groupId: 'order-summary', topics: ['orders', 'invoices'] });
    await consumer.start();
    await bus.publish('orders', [placed, line]);
    await bus.publish('invoices', [envelope('invoice-i1', 0, event('InvoiceIssued', { invoiceId: 'i1' }))]);
    await bus.publish('orders', [line]); // at-least-once: the same event again
    await consumer.caughtUp();
    await consumer.stop();

    expect(projection.applied.map((entry) => entry.split(':')[0])).toEqual(['OrderPlaced', 'OrderLineAdded', 'OrderLineAdded']);
    expect(await readStore.collection('orders').get('o1')).toEqual({ id: 'o1', customerId: 'c1', status: 'PLACED', lines: 1, total: 7 });
    // Its progress is the group's offsets: the read store's slot only says its first fill was indexed.
    expect(await readStore.loadCheckpoint('order-summary')).toBe(0);
  });

  it('says in its rebuild when the new version is being cleared, indexed once every event is in, and then promoted (a bus projection)', async () => {
    const bus = new InMemoryEventBus();
    const readStore = new InMemoryReadStore();
    const projection = { ...orderSummary(), indexes: { orders: [{ status: 1 as const }] } };
    const consumer = new BusProjectionConsumer({ bus, readStore, projection, groupId: 'order-summary', topics: ['orders'] });
    await consumer.start();
    await bus.publish('orders', [{ ...event('OrderPlaced', { orderId: 'o1', customerId: 'c1' }), streamId: 'order-o1', streamRevision: 0 }]);
    await consumer.caughtUp();
    const steps = rebuildStepsSeen(readStore, async () => (await consumer.projectionStatus()).rebuild);
    await consumer.rebuild();
    await consumer.stop();
    expect(steps).toEqual(['cleared while clearing', 'indexed orders while indexing, 1 events in', 'promoted while promoting']);
  });
});

/** What a rebuild's progress said when its new version was indexed, and when it was promoted (`progress`: the status' rebuild). */
function rebuildStepsSeen(readStore: InMemoryReadStore, progress: () => Promise<RebuildProgress | undefined>): string[] {
  const steps: string[] = [];
  const atVersion = readStore.atVersion.bind(readStore);
  jest.spyOn(readStore, 'atVersion').mockImplementation((...args) => {
    const version = atVersion(...args);
    return Object.assign(Object.create(version), {
      reset: async (...resetArgs: Parameters<ReadStore['reset']>) => {
        steps.push(`cleared while ${(await progress())?.step}`);
        return version.reset(...resetArgs);
      },
      ensureIndexes: async () => {
        const { step, collection, done } = (await progress()) ?? {};
        steps.push(`indexed ${collection} while ${step}, ${done} events in`);
      },
    });
  });
  const promote = readStore.promote.bind(readStore);
  jest.spyOn(readStore, 'promote').mockImplementation(async (...args) => {
    steps.push(`promoted while ${(await progress())?.step}`);
    return promote(...args);
  });
  return steps;
}

describe('projection indexes', () => {
  it('are created in the read store when a runner or a bus consumer starts (a first fill once it has caught up)', async () => {
    const readStore = new InMemoryReadStore();
    const ensureIndexes = jest.spyOn(readStore, 'ensureIndexes');
    const projection = defineProjection({
      name: 'indexed',
      collections: ['rows'],
      indexes: { rows: [{ status: 1, orderDate: -1 }] },
      on: { Happened: async () => undefined },
    });
    const runner = new ProjectionRunner({ eventStore: new InMemoryEventStore(), readStore, projection });
    await runner.start();
    await runner.stop();
    expect(ensureIndexes).toHaveBeenCalledWith('rows', [{ status: 1, orderDate: -1 }]);

    ensureIndexes.mockClear();
    const consumer = new BusProjectionConsumer({ bus: new InMemoryEventBus(), readStore, projection, groupId: 'g', topics: ['t'] });
    await consumer.start();
    await consumer.caughtUp();
    await consumer.stop();
    expect(ensureIndexes).toHaveBeenCalledTimes(1);
  });

  it('do not hold up a restart: it consumes, and is caught up, while it makes what its projection declares', async () => {
    const projection = orderSummary();
    const indexed: Projection = { ...projection, indexes: { orders: [{ customerId: 1, total: -1 }] } };
    const eventStore = new InMemoryEventStore();
    const bus = new InMemoryEventBus();
    const hosts = {
      runner: () => new ProjectionRunner({ eventStore, readStore, projection: indexed }),
      'bus consumer': () => new BusProjectionConsumer({ bus, readStore, projection: indexed, groupId: 'order-summary', topics: ['orders'] }),
    };
    const readStore = new InMemoryReadStore();
    const ensureIndexes = jest.spyOn(readStore, 'ensureIndexes');
    for (const [kind, host] of Object.entries(hosts)) {
      const orderId = `o-${kind}`;
      const placed = event('OrderPlaced', { orderId, customerId: 'c1' });
      // A first start, indexed once caught up, after an event: the restart below has a checkpoint.
      await eventStore.appendToStream(`order-first-${kind}`, [event('OrderPlaced', { orderId: `first-${kind}`, customerId: 'c1' })]);
      const first = host();
      await first.start();
      await first.caughtUp();
      await first.stop();

      // The release restarted declares an index the store is slow to make (1M orders): held until opened.
      let open!: () => void;
      const slowIndex = new Promise<void>((resolve) => (open = resolve));
      ensureIndexes.mockImplementationOnce(() => slowIndex);
      if (kind === 'runner') await eventStore.appendToStream(`order-${orderId}`, [placed]);
      else await bus.publish('orders', [{ ...placed, streamId: `order-${orderId}`, streamRevision: 0 }]);
      const restarted = host();
      const started = await Promise.race([restarted.start().then(() => 'started'), new Promise((resolve) => setTimeout(() => resolve('waiting for the indexes'), 1_000))]);
      expect({ kind, started }).toEqual({ kind, started: 'started' });
      await until(async () => (await readStore.collection('orders').get(orderId)) !== undefined);
      // Read-your-writes does not wait for an index (a billing run asks for it).
      await restarted.caughtUp();
      let made = false;
      const making = restarted.indexesMade().then(() => (made = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect({ kind, made }).toEqual({ kind, made: false });
      // Ops see what it is making (GET /ops/projections), and then that it is done.
      const statusOf = () => (restarted instanceof ProjectionRunner ? restarted.status() : restarted.projectionStatus());
      expect({ kind, indexing: (await statusOf()).indexing }).toEqual({ kind, indexing: { collection: 'orders', since: expect.any(String) } });
      open();
      await making;
      expect({ kind, indexing: (await statusOf()).indexing }).toEqual({ kind, indexing: undefined });
      await restarted.stop();
    }
  });
});
