import { EventStore, ReadAllOptions } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { anEvent, holdThread } from '@lp/testing';
import { countEvents } from '@lp/read-models';

async function storeWith(types: string[]): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({ filename: ':memory:' });
  for (const [i, type] of types.entries()) await store.appendToStream(`order-${i}`, [anEvent(type, { i })]);
  return store;
}

describe('countEvents (a projection lag, a rebuild progress total)', () => {
  it('counts the events of the given types after a position, not events of types sharing a prefix', async () => {
    const store = await storeWith(['OrderPlaced', 'OrderPlacedAgain', 'OrderCancelled', 'OrderPlaced', 'CustomerCreated', 'OrderPlaced']);
    expect(await countEvents(store, { fromPosition: 0, types: ['OrderPlaced', 'OrderCancelled'], pageSize: 2 })).toEqual({ count: 4, capped: false });
    expect(await countEvents(store, { fromPosition: 3, types: ['OrderPlaced'], pageSize: 2 })).toEqual({ count: 2, capped: false });
    expect(await countEvents(store, { fromPosition: 0, types: [] })).toEqual({ count: 0, capped: false });
    await store.close();
  });

  it('stops at the cap and says the count is at least that', async () => {
    const store = await storeWith(Array.from({ length: 10 }, () => 'OrderPlaced'));
    expect(await countEvents(store, { fromPosition: 0, types: ['OrderPlaced'], cap: 3, pageSize: 2 })).toEqual({ count: 3, capped: true });
    await store.close();
  });

  it('lets timers and requests run while it counts a long log, instead of holding the thread until the total', async () => {
    const store = await storeWith(Array.from({ length: 100 }, () => 'OrderPlaced'));
    // Each page costs 1 ms of thread, as reading and decoding 1,000 events does.
    const slowPages: EventStore = Object.create(store);
    slowPages.readAll = (options?: ReadAllOptions) => (holdThread(1), store.readAll(options));
    let countedWhenTimerRan: boolean | undefined;
    let counted = false;
    setTimeout(() => (countedWhenTimerRan = counted), 0);
    const result = await countEvents(slowPages, { fromPosition: 0, types: ['OrderPlaced'], pageSize: 1 });
    counted = true;
    expect(result.count).toBe(100);
    expect(countedWhenTimerRan).toBe(false);
    await store.close();
  });
});
