import { randomUUID } from 'crypto';
import { anEnvelope } from '@lp/testing';
import { Harness } from './harness';

/**
 * A consumer group of the order service (so its ops journal holds what ops do about it) on a topic
 * of its own, whose handler fails until `state.healed`: one envelope per key is published and parked.
 */
export async function failingConsumer(h: Harness, ...keys: string[]) {
  const bus = h.embedded.runtimes.order.adapters.bus;
  const topic = `ops-test-${randomUUID().slice(0, 8)}.events`;
  const groupId = `order.ops-test-${randomUUID().slice(0, 8)}`;
  const state = { healed: false, handled: [] as string[] };
  const consumer = await bus.subscribe({
    groupId,
    topics: [topic],
    handler: async (event) => {
      if (!state.healed) throw new Error('downstream is down');
      state.handled.push(event.eventId);
    },
  });
  const envelopes = keys.map((key) => anEnvelope(key, 0, 'ThingHappened'));
  await bus.publish(topic, envelopes);
  await consumer.caughtUp();
  return { topic, groupId, consumer, envelopes, state };
}
