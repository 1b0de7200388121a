import { CheckpointCommitter } from '../subscriptions/checkpoint-committer';

/** A batch of one partition as either bus adapter holds it, with the offset of each message. */
export interface KeyedBatch<M> {
  messages: readonly M[];
  keyOf(message: M): string;
  offsetOf(message: M): number;
}

/**
 * Delivers one partition's batch, each key's messages one after another and in order, the keys
 * side by side (SubscribeOptions.concurrentKeys). A key stops at its first message not delivered
 * (`deliver` resolved false: the subscription stopped during a back-off); the other keys go on.
 * `offsets` is told of every message and of each one finished, so the partition's offset is the
 * low-water mark of finished messages and never passes one still being handled. A failure (a
 * store or broker error thrown by `deliver`) is rethrown once every key has stopped, so nothing
 * runs on behind a failed batch.
 */
export async function deliverKeysSideBySide<M>(
  batch: KeyedBatch<M>,
  offsets: CheckpointCommitter,
  deliver: (message: M) => Promise<boolean>,
): Promise<void> {
  // Positions are next offsets: a finished message lets the offset move to its own offset + 1.
  const works = batch.messages.map((message) => offsets.begin(batch.offsetOf(message) + 1));
  const keys = new Map<string, Promise<boolean>>();
  const deliveries = batch.messages.map((message, index) => {
    const key = batch.keyOf(message);
    const delivery = (keys.get(key) ?? Promise.resolve(true)).then(async (previousDelivered) => {
      if (!previousDelivered || !(await deliver(message))) return false;
      offsets.finish(works[index]);
      return true;
    });
    keys.set(key, delivery);
    return delivery;
  });
  const failed = (await Promise.allSettled(deliveries)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
