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
}

/**
 * How many events of the given types the store holds after a position: a projection's lag, or the
 * total of a rebuild's progress. Uses the EventStore port only, page by page, and stops at `cap`.
 * A store that answers at once (SQLite) would otherwise hold the thread for the whole count: 3 s
 * for 200,000 events, which a rebuild's progress total counts while requests wait.
 */
export async function countEvents(store: EventStore, options: CountEventsOptions): Promise<{ count: number; capped: boolean }> {
  const types = new Set(options.types);
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  const pageSize = options.pageSize ?? 1000;
  if (types.size === 0) return { count: 0, capped: false };
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
