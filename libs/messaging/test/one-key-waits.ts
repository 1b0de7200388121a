import { Delivery, EventBus, MessageHandler } from '@lp/messaging';
import { anEnvelope } from '@lp/testing';

/** Keys of other aggregates, enough that some share the waiting key's partition under any partitioning of the buses tested (2–4 partitions). */
const OTHER_KEYS = Array.from({ length: 16 }, (_, index) => `other-${index}`);

export interface Handled {
  stream: string;
  delivery: Delivery;
}

/**
 * A scene for concurrentKeys: key `waiting` has two messages and its handler holds the first until
 * release(); sixteen other keys each have one message, published between them. `started` and
 * `finished` record what the handler saw, with where each message came from.
 */
export function oneKeyWaits(bus: EventBus, topic: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started: Handled[] = [];
  const finished: Handled[] = [];
  const waiting = 'waiting';
  const handler: MessageHandler = async (event, delivery) => {
    const stream = `${event.streamId}@${event.streamRevision}`;
    started.push({ stream, delivery });
    if (event.streamId === `order-${waiting}` && event.streamRevision === 0) await released;
    finished.push({ stream, delivery });
  };
  const first = `order-${waiting}@0`;
  return {
    handler,
    release,
    started: () => started.map((handled) => handled.stream),
    finished: () => finished.map((handled) => handled.stream),
    publish: () =>
      bus.publish(topic, [anEnvelope(waiting, 0), ...OTHER_KEYS.map((key) => anEnvelope(key, 0)), anEnvelope(waiting, 1)]),
    othersFinished: () => finished.filter((handled) => !handled.stream.startsWith(`order-${waiting}@`)).length === OTHER_KEYS.length,
    /** Messages of other keys finished that came after the held one in its partition: what the group's offset must not pass. */
    finishedBehindTheHeldOne: () => {
      const held = started.find((handled) => handled.stream === first)!.delivery;
      return finished.filter((handled) => handled.delivery.partition === held.partition && handled.delivery.offset > held.offset).length;
    },
    streamsOfWaitingKey: () => finished.filter((handled) => handled.stream.startsWith(`order-${waiting}@`)).map((handled) => handled.stream),
  };
}
