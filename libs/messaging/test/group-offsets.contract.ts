import { ConsumerGroupOffsets, EventBus, redeliveries } from '@lp/messaging';
import { anEnvelope, until } from '@lp/testing';
import { oneKeyWaits } from './one-key-waits';

export interface GroupOffsetsUnderTest {
  bus: EventBus;
  offsets: ConsumerGroupOffsets;
  topic: string;
  groupId: string;
}

/** A rewind's plan counts what will be delivered again, applying it (group stopped) redelivers exactly that, and the lag counts what the group has not consumed. */
export function groupOffsetsContract(name: string, create: () => Promise<GroupOffsetsUnderTest>, timeoutMs = 30_000): void {
  describe(`ConsumerGroupOffsets contract: ${name}`, () => {
    it(
      'plans a rewind to an offset or an instant, and the group handles those messages again once applied',
      async () => {
        const { bus, offsets, topic, groupId } = await create();
        try {
          const seen: string[] = [];
          const consume = () => bus.subscribe({ groupId, topics: [topic], handler: async (event) => void seen.push(event.eventId) });
          const sent = [anEnvelope('a', 0, 'ThingHappened'), anEnvelope('b', 0, 'ThingHappened'), anEnvelope('a', 1, 'ThingHappened')];
          await bus.publish(topic, sent);
          expect(await offsets.lag(groupId, [topic])).toBe(3);
          const first = await consume();
          await first.caughtUp();
          await first.stop();
          expect(await offsets.lag(groupId, [topic])).toBe(0);

          expect(redeliveries(await offsets.plan(groupId, [topic], { instant: '2999-01-01T00:00:00Z' }))).toBe(0);
          expect(redeliveries(await offsets.plan(groupId, [topic], { instant: '2000-01-01T00:00:00Z' }))).toBe(3);
          const plan = await offsets.plan(groupId, [topic], { offset: 0 });
          expect(redeliveries(plan)).toBe(3);
          expect(plan.every((part) => part.target <= part.committed)).toBe(true);

          await offsets.apply(groupId, plan);
          expect(await offsets.lag(groupId, [topic])).toBe(3);
          seen.length = 0;
          const again = await consume();
          await again.caughtUp();
          await again.stop();
          expect(seen.sort()).toEqual(sent.map((event) => event.eventId).sort());
          expect(redeliveries(await offsets.plan(groupId, [topic], { offset: 0 }))).toBe(3);
        } finally {
          await bus.close();
        }
      },
      timeoutMs,
    );

    it(
      'with concurrentKeys, never commits past a message still being handled, so a restart would deliver it again',
      async () => {
        const { bus, offsets, topic, groupId } = await create();
        const scene = oneKeyWaits(bus, topic);
        try {
          const subscription = await bus.subscribe({ groupId, topics: [topic], handler: scene.handler, concurrentKeys: true });
          await scene.publish();
          await until(scene.othersFinished);
          // Left to do: the held message, the finished ones behind it in its partition, and its key's second message.
          const owed = 1 + scene.finishedBehindTheHeldOne() + 1;
          await until(async () => (await offsets.lag(groupId, [topic])) <= owed);
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(await offsets.lag(groupId, [topic])).toBe(owed);
          scene.release();
          await subscription.caughtUp();
          await until(async () => (await offsets.lag(groupId, [topic])) === 0);
          await subscription.stop();
        } finally {
          // A stop waits for the handler in hand: released even when the test fails.
          scene.release();
          await bus.close();
        }
      },
      timeoutMs,
    );
  });
}
