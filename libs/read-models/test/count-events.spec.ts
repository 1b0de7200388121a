import { CountAllOptions, EventStore, ReadAllOptions } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { anEvent, holdThread } from '@lp/testing';
import { countEvents } from '@lp/read-models';

async function storeWith(types: string[]): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({ filename: ':memory:' });
  for (const [i, type] of types.entries()) await store.appendToStream(`order-${i}`, [anEvent(type, { i })]);
  return store;
}

/** The store as a store without countAll (EventStoreDB): its events are read to be counted. */
function withoutCountAll(store: EventStore): EventStore {
  const reading: EventStore = Object.create(store);
  reading.countAll = undefined;
  return reading;
}

/** Each step costs 1 ms of thread, as reading and decoding 1,000 events does. */
function withSlowSteps(store: EventStore): EventStore {
  const slow: EventStore = Object.create(store);
  slow.readAll = (options?: ReadAllOptions) => (holdThread(1), store.readAll(options));
  if (store.countAll) slow.countAll = (options: CountAllOptions) => (holdThread(1), store.countAll!(options));
  return slow;
}

describe.each([
  ['counted by the store, window by window of positions', (store: EventStore) => store],
  ['read page by page (a store without countAll)', withoutCountAll],
])('countEvents (a projection lag, a rebuild progress total): %s', (_way, asStore) => {
  // Steps of two events (a page, or a window of two positions), so every test takes several.
  const small = { pageSize: 2, windowSize: 2 };

  it('counts the events of the given types after a position, not events of types sharing a prefix', async () => {
    const store = await storeWith(['OrderPlaced', 'OrderPlacedAgain', 'OrderCancelled', 'OrderPlaced', 'CustomerCreated', 'OrderPlaced']);
    expect(await countEvents(asStore(store), { fromPosition: 0, types: ['OrderPlaced', 'OrderCancelled'], ...small })).toEqual({ count: 4, capped: false });
    expect(await countEvents(asStore(store), { fromPosition: 3, types: ['OrderPlaced'], ...small })).toEqual({ count: 2, capped: false });
    expect(await countEvents(asStore(store), { fromPosition: 0, types: [] })).toEqual({ count: 0, capped: false });
    expect(await countEvents(asStore(store), { fromPosition: 0, types: ['OrderPlaced'] })).toEqual({ count: 3, capped: false });
    await store.close();
  });

  it('stops at the cap and says the count is at least that', async () => {
    const store = await storeWith(Array.from({ length: 10 }, () => 'OrderPlaced'));
    expect(await countEvents(asStore(store), { fromPosition: 0, types: ['OrderPlaced'], cap: 3, ...small })).toEqual({ count: 3, capped: true });
    await store.close();
  });

  it('lets timers and requests run while it counts a long log, instead of holding the thread until the total', async () => {
    const store = await storeWith(Array.from({ length: 100 }, () => 'OrderPlaced'));
    let countedWhenTimerRan: boolean | undefined;
    let counted = false;
    setTimeout(() => (countedWhenTimerRan = counted), 0);
    const result = await countEvents(withSlowSteps(asStore(store)), { fromPosition: 0, types: ['OrderPlaced'], pageSize: 1, windowSize: 1 });
    counted = true;
    expect(result.count).toBe(100);
    expect(countedWhenTimerRan).toBe(false);
    await store.close();
  });
});
