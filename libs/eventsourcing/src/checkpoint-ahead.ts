import { EventStore } from './event-store';

/**
 * A subscriber's checkpoint lies beyond the newest event of its store: it was saved against
 * another store (a fresh DATA_DIR beside an old read database, or a restored backup of one side
 * only). Starting anyway would silently skip every event up to that position.
 */
export class CheckpointAheadOfStoreError extends Error {
  constructor(
    readonly subscriber: string,
    readonly checkpoint: number,
    readonly head: number,
    remedy: string,
  ) {
    super(
      `${subscriber}: its checkpoint (position ${checkpoint}) is ahead of the event store's newest event (position ${head}), ` +
        `so it was saved against other events and would skip every new one. ${remedy}`,
    );
    this.name = 'CheckpointAheadOfStoreError';
  }
}

/** Throws CheckpointAheadOfStoreError when `checkpoint` is beyond the store's head; `remedy` tells the operator what to do. */
export async function refuseCheckpointAheadOfStore(store: EventStore, subscriber: string, checkpoint: number, remedy: string): Promise<void> {
  if (checkpoint <= 0) return;
  const head = await store.headPosition();
  if (checkpoint > head) throw new CheckpointAheadOfStoreError(subscriber, checkpoint, head, remedy);
}
