import { EventLoopShare, EventStore } from '@lp/eventsourcing';

export interface CountEventsOptions {
  /** Count events after this global position (exclusive). */
  fromPosition: number;
  /** Event types to count (exactly; the store is asked by prefix). */
  types: string[];
  /** Stop counting here: the answer is then "at least `cap`". */
  cap?: number;
  /** Events read per page (default 1000), so counting a long log never holds it in memory. */
  pageSize?: number;
  /** Positions counted per statement where the store counts itself (default 50,000: ~10 ms each). */
  windowSize?: number;
}

/**
 * How many events of the given types the store holds after a position: a projection's lag, or the
 * total of a rebuild's progress. A store that counts (EventStore.countAll) is asked window by window
 * of positions; any other store's events are read page by page. Either way it stops at `cap` and
 * hands the thread over between steps: a store that answers at once (SQLite) would otherwise hold it
 * for the whole count, 3 s for 200,000 events read, which a rebuild's progress total counts while
 * requests wait.
 */
export async function countEvents(store: EventStore, options: CountEventsOptions): Promise<{ count: number; capped: boolean }> {
  if (options.types.length === 0) return { count: 0, capped: false };
  return store.countAll ? countInWindows(store, options) : countByReading(store, options);
}

async function countInWindows(store: EventStore, options: CountEventsOptions): Promise<{ count: number; capped: boolean }> {
  const eventTypes = [...new Set(options.types)];
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  const windowSize = options.windowSize ?? 50_000;
  const head = await store.headPosition();
  const share = new EventLoopShare();
  let count = 0;
  for (let after = options.fromPosition; after < head; after += windowSize) {
    await share.handOverIfDue();
    count += await store.countAll!({ fromPosition: after, upTo: Math.min(after + windowSize, head), eventTypes });
    if (count >= cap) return { count: cap, capped: true };
  }
  return { count, capped: false };
}

async function countByReading(store: EventStore, options: CountEventsOptions): Promise<{ count: number; capped: boolean }> {
  const types = new Set(options.types);
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  const pageSize = options.pageSize ?? 1000;
  let count = 0;
  let after = options.fromPosition;
  const share = new EventLoopShare();
  for (;;) {
    await share.handOverIfDue();
    const page = await store.readAll({ fromPosition: after, maxCount: pageSize, filter: { eventTypePrefixes: [...types] } });
    for (const event of page) if (types.has(event.type)) count++;
    if (count >= cap) return { count: cap, capped: true };
    if (page.length < pageSize) return { count, capped: false };
    after = page[page.length - 1].position;
  }
}
