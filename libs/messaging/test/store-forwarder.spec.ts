import { randomUUID } from 'crypto';
import { anEvent } from '@lp/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventEnvelope, EventToAppend, RetryPolicy, toEnvelope } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { dedupeByEventId, EventBus, InMemoryProcessedEvents, ProcessedEvents, StoreForwarder } from '@lp/messaging';
import { InProcessEventBus, SqliteProcessedEvents } from '@lp/messaging/in-process';

const TOPIC = 'order.events';
const ALLOWED = ['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled'];

const event = (type: string, n = 0): EventToAppend => anEvent(type, { n });

describe('StoreForwarder', () => {
  let store: SqliteEventStore;
  let bus: InProcessEventBus;
  let dir: string;
  const running: StoreForwarder[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forwarder-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.db') });
    bus = new InProcessEventBus({ filename: join(dir, 'bus.db') });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((forwarder) => forwarder.stop()));
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const forwarder = (overrides: Partial<ConstructorParameters<typeof StoreForwarder>[0]> = {}) => {
    const created = new StoreForwarder({
      name: 'order-forwarder',
      store,
      checkpoints: store.checkpoints(),
      bus,
      topic: TOPIC,
      streamPrefixes: ['order-', 'customer-'],
      eventTypes: ALLOWED,
      ...overrides,
    });
    running.push(created);
    return created;
  };
  /** Everything on the topic, read by a fresh consumer group. */
  const published = async (): Promise<EventEnvelope[]> => {
    const received: EventEnvelope[] = [];
    const subscription = await bus.subscribe({
      groupId: randomUUID(),
      topics: [TOPIC],
      handler: async (e) => void received.push(e),
    });
    await subscription.caughtUp();
    await subscription.stop();
    return received;
  };

  it('publishes only the allowed event types of its own streams, in store order, as envelopes', async () => {
    await store.appendToStream('customer-1', [event('CustomerRegistered')]);
    await store.appendToStream('order-1', [event('OrderDraftEdited'), event('OrderAccepted'), event('OrderPlaced')]);
    await store.appendToStream('contract-1', [event('OrderPlaced')]);
    await store.appendToStream('order-2', [event('OrderAccepted'), event('OrderCancelled')]);
    const subject = forwarder();
    await subject.start();
    await subject.caughtUp();
    await store.appendToStream('order-1', [event('OrderPlaced', 2)]);
    await subject.caughtUp();

    const expected = (await store.readAll({ filter: { streamPrefixes: ['order-', 'customer-'] } }))
      .filter((e) => ALLOWED.includes(e.type))
      .map(toEnvelope);
    expect(expected).toHaveLength(6);
    expect(await published()).toEqual(expected);
  });

  it('publishes who acted as id and reseller only: staff names and roles stay in the store', async () => {
    const staff = { id: 'u-7', name: '山田 太郎', resellerId: 'r-direct', roles: ['admin-agent'] };
    await store.appendToStream('order-1', [anEvent('OrderPlaced', {}, { actor: staff })]);
    await store.appendToStream('order-2', [anEvent('OrderPlaced', {}, { actor: { id: 'distributor-1', name: '佐藤', roles: ['distributor-admin'] } })]);
    const subject = forwarder();
    await subject.start();
    await subject.caughtUp();

    expect((await published()).map((e) => e.actor)).toEqual([{ id: 'u-7', resellerId: 'r-direct' }, { id: 'distributor-1' }]);
    expect((await store.readStream('order-1'))[0].actor).toEqual(staff);
  });

  it('stores the checkpoint only after publish resolved', async () => {
    await store.appendToStream('order-1', [event('OrderAccepted'), event('OrderPlaced')]);
    const checkpointsAtPublish: (number | undefined)[] = [];
    const spyBus: EventBus = {
      publish: async (topic, events) => {
        checkpointsAtPublish.push(await store.checkpoints().load('order-forwarder'));
        await bus.publish(topic, events);
      },
      subscribe: (options) => bus.subscribe(options),
      close: async () => undefined,
    };
    const subject = forwarder({ bus: spyBus });
    await subject.start();
    await subject.caughtUp();

    expect(checkpointsAtPublish).toEqual([undefined]);
    const [, last] = await store.readStream('order-1');
    expect(await store.checkpoints().load('order-forwarder')).toBe(last.position);
  });

  it('publishes in batches of at most batchSize, in order', async () => {
    for (let i = 0; i < 25; i++) await store.appendToStream(`order-${i}`, [event('OrderPlaced', i)]);
    const batchSizes: number[] = [];
    const spyBus: EventBus = {
      publish: async (topic, events) => {
        batchSizes.push(events.length);
        await bus.publish(topic, events);
      },
      subscribe: (options) => bus.subscribe(options),
      close: async () => undefined,
    };
    const subject = forwarder({ bus: spyBus, batchSize: 10 });
    await subject.start();
    await subject.caughtUp();
    expect(batchSizes).toEqual([10, 10, 5]);
    expect((await published()).map((e) => e.data)).toEqual(Array.from({ length: 25 }, (_, n) => ({ n })));
  });

  it('resumes from its checkpoint after a restart without republishing', async () => {
    await store.appendToStream('order-1', [event('OrderAccepted'), event('OrderPlaced')]);
    const first = forwarder();
    await first.start();
    await first.caughtUp();
    await first.stop();

    await store.appendToStream('order-1', [event('OrderCancelled')]);
    const second = forwarder();
    await second.start();
    await second.caughtUp();

    expect((await published()).map((e) => e.type)).toEqual(['OrderAccepted', 'OrderPlaced', 'OrderCancelled']);
  });

  it('keeps the checkpoint when publish fails, and publishes the event after a restart', async () => {
    await store.appendToStream('order-1', [event('OrderAccepted')]);
    const failures: unknown[] = [];
    let failedOnce!: () => void;
    const failed = new Promise<void>((resolve) => (failedOnce = resolve));
    const brokenBus: EventBus = {
      publish: async () => {
        throw new Error('broker unavailable');
      },
      subscribe: (options) => bus.subscribe(options),
      close: async () => undefined,
    };
    const broken = forwarder({
      bus: brokenBus,
      retryPolicy: new RetryPolicy({ initialDelayMs: 5, maxDelayMs: 5 }),
      onError: (error) => {
        failures.push(error);
        if (failures.length === 3) failedOnce();
      },
    });
    await broken.start();
    await failed;
    await broken.stop();
    expect(await store.checkpoints().load('order-forwarder')).toBeUndefined();
    expect(await published()).toEqual([]);

    const repaired = forwarder();
    await repaired.start();
    await repaired.caughtUp();
    expect((await published()).map((e) => e.type)).toEqual(['OrderAccepted']);
  });

  it.each([
    ['in memory', () => new InMemoryProcessedEvents()],
    ['in SQLite', () => new SqliteProcessedEvents(store.db, 'billing')],
  ] as [string, () => ProcessedEvents][])(
    'lets a consumer skip events republished after a crash (dedupe %s)',
    async (_, processed) => {
      await store.appendToStream('order-1', [event('OrderAccepted'), event('OrderPlaced')]);
      const first = forwarder();
      await first.start();
      await first.caughtUp();
      await first.stop();
      // A crash after publishing but before checkpointing: the checkpoint is behind the topic.
      await store.checkpoints().store('order-forwarder', 0);
      await store.appendToStream('order-1', [event('OrderCancelled')]);
      const second = forwarder();
      await second.start();
      await second.caughtUp();
      expect(await published()).toHaveLength(5);

      const handled: string[] = [];
      const consumer = await bus.subscribe({
        groupId: 'billing',
        topics: [TOPIC],
        handler: dedupeByEventId(async (e) => void handled.push(e.type), processed()),
      });
      await consumer.caughtUp();
      await consumer.stop();
      expect(handled).toEqual(['OrderAccepted', 'OrderPlaced', 'OrderCancelled']);
    },
  );

  it('retries the handler of an event whose first attempt failed (the id is recorded only on success)', async () => {
    const processed = new InMemoryProcessedEvents();
    let calls = 0;
    const handler = dedupeByEventId(async () => {
      calls += 1;
      if (calls === 1) throw new Error('transient');
    }, processed);
    const envelope = toEnvelope({ ...event('OrderPlaced'), streamId: 'order-1', streamRevision: 0, position: 1 });
    const delivery = { topic: TOPIC, partition: 0, offset: 0 };
    await expect(handler(envelope, delivery)).rejects.toThrow('transient');
    await handler(envelope, delivery);
    await handler(envelope, delivery);
    expect(calls).toBe(2);
    expect(await processed.has(envelope.eventId)).toBe(true);
  });
});
