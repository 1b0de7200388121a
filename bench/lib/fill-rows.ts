import { EventLoopShare } from '@lp/eventsourcing';
import { ReadCollection, ReadDocument } from '@lp/read-models';

/**
 * Writes rows 0..count-1 through apply(), each from a stream of its own, as a projection catching up
 * does: handing the event loop over once per slice (EventLoopShare), as the product's subscriptions
 * do. A loop that only awaited apply() never let the store's timers fire (its WAL checkpoints among
 * them), so a bench would measure a store the product never runs.
 */
export async function fillRows<T extends ReadDocument>(collection: ReadCollection<T>, count: number, rowOf: (i: number) => T, streamOf: (row: T) => string, progress?: (rows: number) => void): Promise<void> {
  const share = new EventLoopShare();
  for (let i = 0; i < count; i++) {
    const row = rowOf(i);
    await collection.apply(row.id, { streamId: streamOf(row), revision: 0 }, () => row);
    if (i % 100_000 === 99_999) progress?.(i + 1);
    await share.handOverIfDue();
  }
}
