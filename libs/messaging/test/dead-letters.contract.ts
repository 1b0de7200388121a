import { EventBus, DeadLetters } from '@lp/messaging';
import { anEnvelope } from '@lp/testing';

export interface DeadLettersUnderTest {
  bus: EventBus;
  deadLetters: DeadLetters;
  /** A topic of its own (with its `.dlq`), so runs on a shared broker never see each other's messages. */
  topic: string;
  /** Distinct consumer group ids for this run. */
  group: (name: string) => string;
  cleanup?: () => Promise<void>;
}

/**
 * What every dead-letter adapter does: one group's poison messages are listed with their reason,
 * re-driven to that group alone (in order per key, after a dry-run count) or discarded with a reason.
 */
export function deadLettersContract(name: string, create: () => Promise<DeadLettersUnderTest>, timeoutMs = 30_000): void {
  describe(`DeadLetters contract: ${name}`, () => {
    let subject: DeadLettersUnderTest;
    beforeEach(async () => {
      subject = await create();
    }, timeoutMs);
    afterEach(async () => {
      await subject.bus.close();
      await subject.cleanup?.();
    }, timeoutMs);

    it(
      'lists what one group parked, re-drives it to that group only in key order, and discards with a reason',
      async () => {
        const { bus, deadLetters, topic, group } = subject;
        const [billing, audit] = [group('billing'), group('audit')];
        let healed = false;
        const billed: string[] = [];
        const audited: string[] = [];
        const billingSubscription = await bus.subscribe({
          groupId: billing,
          topics: [topic],
          handler: async (event) => {
            if (!healed && event.streamId === 'order-bad') throw new Error(`cannot bill ${event.eventId}`);
            billed.push(event.eventId);
          },
        });
        const auditSubscription = await bus.subscribe({ groupId: audit, topics: [topic], handler: async (event) => void audited.push(event.eventId) });
        // Types no schema knows: the bus hands them over as published (no upcasting in the way).
        const [ok0, bad0, bad1, ok1] = [anEnvelope('ok', 0, 'ThingHappened'), anEnvelope('bad', 0, 'ThingStarted'), anEnvelope('bad', 1, 'ThingHappened'), anEnvelope('ok', 1, 'ThingHappened')];
        await bus.publish(topic, [ok0, bad0, bad1, ok1]);
        await Promise.all([billingSubscription.caughtUp(), auditSubscription.caughtUp()]);

        const listed = await deadLetters.list({ topic });
        expect(listed.total).toBe(2);
        expect(listed.items.map((item) => item.eventId)).toEqual([bad0.eventId, bad1.eventId]);
        expect(listed.items[0]).toMatchObject({
          topic,
          groupId: billing,
          key: 'bad',
          eventType: 'ThingStarted',
          error: `cannot bill ${bad0.eventId}`,
          status: 'parked',
        });
        expect(listed.items[0].attempts).toBeGreaterThan(1);
        expect(listed.items[0].firstFailureAt <= listed.items[0].lastFailureAt).toBe(true);
        const detail = await deadLetters.get(listed.items[1].id);
        expect(detail?.event).toEqual(bad1);
        expect(await deadLetters.get(`${topic}.dlq/9/999`)).toBeUndefined();

        // Dry runs: what would move, by key and with stopAt.
        expect(await deadLetters.selectForRedrive({ key: 'bad', topic })).toHaveLength(2);
        expect(await deadLetters.selectForRedrive({ key: 'ok', topic })).toHaveLength(0);
        expect((await deadLetters.selectForRedrive({ topic, stopAt: 1 })).map((item) => item.eventId)).toEqual([bad0.eventId]);

        healed = true;
        const auditedBefore = [...audited];
        const moved = await deadLetters.redrive({ topic }, 'ops-user');
        expect(moved.map((item) => item.eventId)).toEqual([bad0.eventId, bad1.eventId]);
        await Promise.all([billingSubscription.caughtUp(), auditSubscription.caughtUp()]);

        expect(billed).toEqual([ok0.eventId, ok1.eventId, bad0.eventId, bad1.eventId]);
        expect(audited).toEqual(auditedBefore);
        expect(await deadLetters.list({ topic })).toEqual({ items: [], total: 0 });
        const settled = await deadLetters.list({ topic, status: 'redriven' });
        expect(settled.items.map((item) => [item.eventId, item.settled?.by])).toEqual([
          [bad0.eventId, 'ops-user'],
          [bad1.eventId, 'ops-user'],
        ]);
        expect(await deadLetters.selectForRedrive({ topic })).toHaveLength(0);

        healed = false;
        const bad2 = anEnvelope('bad', 2, 'ThingHappened');
        await bus.publish(topic, [bad2]);
        await billingSubscription.caughtUp();
        const [parked] = (await deadLetters.list({ topic })).items;
        expect(parked.eventId).toBe(bad2.eventId);
        const discarded = await deadLetters.discard(parked.id, 'customer deleted upstream', 'ops-user');
        expect(discarded).toMatchObject({ status: 'discarded', settled: { by: 'ops-user', reason: 'customer deleted upstream' } });
        expect((await deadLetters.list({ topic })).total).toBe(0);
        expect((await deadLetters.list({ topic, status: 'all' })).total).toBe(3);
        expect(await deadLetters.discard(`${topic}.dlq/9/999`, 'nothing', 'ops-user')).toBeUndefined();

        // The key is free again once nothing of it is parked: its next message is handled, not parked behind.
        const bad3 = anEnvelope('bad', 3, 'ThingHappened');
        healed = true;
        await bus.publish(topic, [bad3]);
        await billingSubscription.caughtUp();
        expect(billed.slice(-1)).toEqual([bad3.eventId]);
        expect((await deadLetters.list({ topic })).total).toBe(0);

        await Promise.all([billingSubscription.stop(), auditSubscription.stop()]);
      },
      timeoutMs * 3,
    );
  });
}
