import { randomUUID } from 'crypto';
import { EventEnvelope } from '@lp/eventsourcing';
import { Delivery, EventBus, MessageHandler } from '@lp/messaging';
import { anEnvelope, until } from '@lp/testing';
import { oneKeyWaits } from './one-key-waits';

/**
 * The behaviour every EventBus adapter must have. Every test uses its own topics and group ids, so
 * the suite also runs against a shared broker. `create` should configure short retry delays.
 * `createTopics` is for buses whose topics must exist before use (Kafka without auto-creation): it
 * is given each test's topic before anything is published, and must also create `<topic>.dlq`.
 */
export interface ContractBus {
  bus: EventBus;
  cleanup?: () => Promise<void>;
  createTopics?: (topics: string[]) => Promise<void>;
}

export function eventBusContract(name: string, create: () => Promise<ContractBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    let cleanup: (() => Promise<void>) | undefined;
    let topic: string;
    const stops: (() => Promise<void>)[] = [];

    beforeEach(async () => {
      const created = await create();
      ({ bus, cleanup } = created);
      topic = `t-${randomUUID()}`;
      await created.createTopics?.([topic]);
    });
    afterEach(async () => {
      await Promise.all(stops.splice(0).map((stop) => stop()));
      if (cleanup) await cleanup();
      else await bus.close();
    });

    const group = () => `g-${randomUUID()}`;
    const envelope = (aggregate: string, revision: number, type = 'OrderPlaced') => anEnvelope(aggregate, revision, type, { revision, lines: [{ sku: 'M365', quantity: 2 }] });
    const subscribe = async (groupId: string, handler: MessageHandler, topics = [topic], concurrentKeys?: boolean) => {
      const subscription = await bus.subscribe({ groupId, topics, handler, concurrentKeys });
      stops.push(() => subscription.stop());
      return subscription;
    };
    const collector = () => {
      const received: { event: EventEnvelope; delivery: Delivery }[] = [];
      const handler: MessageHandler = async (event, delivery) => void received.push({ event, delivery });
      return { received, handler, events: () => received.map((r) => r.event) };
    };

    it('delivers a message published at an older schemaVersion upcast to the current one (the platform\'s upcasters)', async () => {
      // OrderPlaced v1: lines without their term; v2 states it (Office 365 E1: monthly).
      const old = { ...envelope(randomUUID(), 0), schemaVersion: 1, data: { lines: [{ sku: 'MS-O365-E1', billingPolicy: 'microsoft-csp-monthly' }] } };
      await bus.publish(topic, [old]);
      const { events, handler } = collector();
      const subscription = await subscribe(group(), handler);
      await subscription.caughtUp();
      expect(events()).toEqual([{ ...old, schemaVersion: 2, data: { lines: [{ sku: 'MS-O365-E1', billingPolicy: 'microsoft-csp-monthly', term: 'monthly' }] } }]);
    });

    it('delivers the full envelope with its topic, partition and offset', async () => {
      const sent = envelope(randomUUID(), 0);
      await bus.publish(topic, [sent]);
      const { received, handler } = collector();
      const subscription = await subscribe(group(), handler);
      await subscription.caughtUp();
      expect(received).toHaveLength(1);
      expect(received[0].event).toEqual(sent);
      expect(received[0].delivery).toMatchObject({ topic, partition: expect.any(Number), offset: expect.any(Number) });
    });

    it('gives a new group the messages published before it subscribed, then live ones', async () => {
      const early = [envelope('a', 0), envelope('a', 1)];
      await bus.publish(topic, early);
      const { handler, events } = collector();
      const subscription = await subscribe(group(), handler);
      await subscription.caughtUp();
      expect(events()).toEqual(early);
      const late = envelope('a', 2);
      await bus.publish(topic, [late]);
      await subscription.caughtUp();
      expect(events()).toEqual([...early, late]);
    });

    it('delivers every message to each of two groups', async () => {
      const sent = [envelope('a', 0), envelope('b', 0), envelope('a', 1)];
      await bus.publish(topic, sent);
      const first = collector();
      const second = collector();
      const subscriptions = [await subscribe(group(), first.handler), await subscribe(group(), second.handler)];
      await Promise.all(subscriptions.map((s) => s.caughtUp()));
      const ids = (events: EventEnvelope[]) => events.map((e) => e.eventId).sort();
      expect(ids(first.events())).toEqual(ids(sent));
      expect(ids(second.events())).toEqual(ids(sent));
    });

    it('with concurrentKeys, handles the other keys of a partition while one key waits, and keeps that key in order', async () => {
      const scene = oneKeyWaits(bus, topic);
      // Released before the subscription is stopped, even when the test fails: a stop waits for the handler in hand.
      stops.unshift(async () => scene.release());
      const subscription = await subscribe(group(), scene.handler, [topic], true);
      await scene.publish();
      await until(scene.othersFinished);
      // Some of them came after the held message in its own partition: not only other partitions went on.
      expect(scene.finishedBehindTheHeldOne()).toBeGreaterThan(0);
      // The waiting key's second message was not even started.
      expect(scene.started()).not.toContain('order-waiting@1');
      scene.release();
      await subscription.caughtUp();
      expect(scene.streamsOfWaitingKey()).toEqual(['order-waiting@0', 'order-waiting@1']);
    });

    // What a handler may rely on holds the same when the bus may hand over different keys side by side.
    for (const concurrentKeys of [false, true]) {
      const mode = concurrentKeys ? ' (concurrentKeys)' : '';
      const subscribeWith = (groupId: string, handler: MessageHandler, topics = [topic]) => subscribe(groupId, handler, topics, concurrentKeys);

      it(`keeps the order of each key across publishes${mode}`, async () => {
        const keys = [randomUUID(), randomUUID(), randomUUID()];
        for (let round = 0; round < 4; round++) {
          await bus.publish(topic, keys.flatMap((key) => [envelope(key, round * 2), envelope(key, round * 2 + 1)]));
        }
        const { handler, events } = collector();
        const subscription = await subscribeWith(group(), handler);
        await subscription.caughtUp();
        expect(events()).toHaveLength(24);
        for (const key of keys) {
          const revisions = events().filter((e) => e.streamId === `order-${key}`).map((e) => e.streamRevision);
          expect(revisions).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        }
      });

      it(`resumes a group from its committed offsets after stop${mode}`, async () => {
        const groupId = group();
        const before = [envelope('a', 0), envelope('b', 0), envelope('a', 1)];
        await bus.publish(topic, before);
        const first = collector();
        const firstSubscription = await bus.subscribe({ groupId, topics: [topic], handler: first.handler, concurrentKeys });
        await firstSubscription.caughtUp();
        await firstSubscription.stop();
        expect(first.events()).toHaveLength(3);

        const after = [envelope('a', 2), envelope('c', 0)];
        await bus.publish(topic, after);
        const second = collector();
        const secondSubscription = await subscribeWith(groupId, second.handler);
        await secondSubscription.caughtUp();
        expect(second.events().map((e) => e.eventId).sort()).toEqual(after.map((e) => e.eventId).sort());
      });

      it(`retries a handler that throws once, and delivers the message${mode}`, async () => {
        const sent = [envelope('a', 0), envelope('a', 1), envelope('a', 2)];
        const attempts = new Map<string, number>();
        const handled: EventEnvelope[] = [];
        const subscription = await subscribeWith(group(), async (event) => {
          const attempt = (attempts.get(event.eventId) ?? 0) + 1;
          attempts.set(event.eventId, attempt);
          if (event.streamRevision === 1 && attempt === 1) throw new Error('transient');
          handled.push(event);
        });
        await bus.publish(topic, sent);
        await subscription.caughtUp();
        expect(handled).toEqual(sent);
        expect(sent.map((e) => attempts.get(e.eventId))).toEqual([1, 2, 1]);
      });

      it(`parks a poison message in <topic>.dlq, parks later messages of its key behind it, and keeps delivering other keys${mode}`, async () => {
        const [before, poison, after] = [envelope('a', 0), envelope('a', 1, 'Poison'), envelope('a', 2)];
        const [other0, other1] = [envelope('b', 0), envelope('b', 1)];
        const handled: EventEnvelope[] = [];
        const subscription = await subscribeWith(group(), async (event) => {
          if (event.type === 'Poison') throw new Error('cannot handle this');
          handled.push(event);
        });
        await bus.publish(topic, [before, poison, other0, after, other1]);
        await subscription.caughtUp();
        // Key a's later event never overtakes the parked one; key b flows.
        expect(handled.filter((event) => event.streamId === 'order-a')).toEqual([before]);
        expect(handled.filter((event) => event.streamId === 'order-b')).toEqual([other0, other1]);

        const deadLetters = collector();
        const dlqSubscription = await subscribeWith(group(), deadLetters.handler, [`${topic}.dlq`]);
        await dlqSubscription.caughtUp();
        expect(deadLetters.events()).toEqual([poison, after]);
        expect(deadLetters.received[0].delivery.topic).toBe(`${topic}.dlq`);
      });

      it(`never parks a message whose handler fails because the infrastructure is away: retried until it is back${mode}`, async () => {
        const [first, second] = [envelope('a', 0), envelope('a', 1)];
        let outageTries = 6;
        const handled: EventEnvelope[] = [];
        const subscription = await subscribeWith(group(), async (event) => {
          if (event.eventId === first.eventId && outageTries-- > 0) {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
          }
          handled.push(event);
        });
        await bus.publish(topic, [first, second]);
        await subscription.caughtUp();
        expect(handled).toEqual([first, second]);
        const deadLetters = collector();
        const dlqSubscription = await subscribeWith(group(), deadLetters.handler, [`${topic}.dlq`]);
        await dlqSubscription.caughtUp();
        expect(deadLetters.events()).toEqual([]);
      });
    }
  });
}
