import { CommandHandler, contextCausedBy, EventEnvelope, EventStore } from '@lp/eventsourcing';
import { OrderPlaced, TOPICS } from '@lp/integration-events';
import { EventBus } from '@lp/messaging';
import { BusReactor } from '@lp/runtime';
import { provisioningRequestsFrom, subscriptionDecider, subscriptionIdForLine, subscriptionStreamId } from '../domain/subscription';

export const SUBSCRIPTIONS_GROUP = 'provisioning.subscriptions';

/**
 * OrderPlaced (order.events) → one RequestProvisioning per placed line, on the stream derived from
 * the line id: a redelivered OrderPlaced lands on the same streams and the decider makes it a no-op,
 * so no second subscription appears. The vendor worker takes it from there.
 */
export function orderPlacedProcessManager(store: EventStore, bus: EventBus, now: () => Date = () => new Date()): BusReactor {
  const subscriptions = new CommandHandler(store, subscriptionDecider);
  return new BusReactor({
    name: SUBSCRIPTIONS_GROUP,
    bus,
    // A durable group (no per-start suffix): its offsets are the process manager's progress.
    groupId: SUBSCRIPTIONS_GROUP,
    topics: [TOPICS.order],
    eventTypes: ['OrderPlaced'],
    // Each order's lines have streams of their own, so placed orders are handled side by side and
    // their subscriptions share commits; one after another, each waited for its own disk flush.
    concurrentKeys: true,
    async handle(envelope) {
      const event = envelope as EventEnvelope<OrderPlaced>;
      const context = contextCausedBy(event, SUBSCRIPTIONS_GROUP, now());
      for (const command of provisioningRequestsFrom(event.data, context.now.toISOString())) {
        await subscriptions.handle(subscriptionStreamId(subscriptionIdForLine(command.line.orderLineId)), command, context);
      }
    },
  });
}
