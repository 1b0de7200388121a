import { CommandHandler, contextCausedBy, EventEnvelope, EventStore } from '@lp/eventsourcing';
import { CancellationLinked, QuantityChangeLinked, TOPICS } from '@lp/integration-events';
import { EventBus } from '@lp/messaging';
import { BusReactor } from '@lp/runtime';
import { cancellationRequestsFrom, quantityChangeRequestsFrom, subscriptionDecider } from '../domain/subscription';

export const CONTRACT_CHANGES_GROUP = 'provisioning.contract-changes';

/**
 * CancellationLinked / QuantityChangeLinked (contract.events, 解約連携) → one request per linked
 * line on its subscription's stream; the vendor worker calls the vendor and SubscriptionCancelled /
 * SubscriptionQuantityChanged (or a refusal) goes back to the contract service. The change id makes
 * a redelivery a no-op in the decider. A request the decider refuses (e.g. the subscription is not
 * ACTIVE) fails the handler: the bus retries it and then parks it on `contract.events.dlq` for ops.
 */
export function contractChangesProcessManager(store: EventStore, bus: EventBus, now: () => Date = () => new Date()): BusReactor {
  const subscriptions = new CommandHandler(store, subscriptionDecider);
  return new BusReactor({
    name: CONTRACT_CHANGES_GROUP,
    bus,
    groupId: CONTRACT_CHANGES_GROUP,
    topics: [TOPICS.contract],
    eventTypes: ['CancellationLinked', 'QuantityChangeLinked'],
    async handle(envelope) {
      const context = contextCausedBy(envelope, CONTRACT_CHANGES_GROUP, now());
      const requests =
        envelope.type === 'CancellationLinked'
          ? cancellationRequestsFrom((envelope as EventEnvelope<CancellationLinked>).data)
          : quantityChangeRequestsFrom((envelope as EventEnvelope<QuantityChangeLinked>).data);
      for (const { streamId, command } of requests) await subscriptions.handle(streamId, command, context);
    },
  });
}
