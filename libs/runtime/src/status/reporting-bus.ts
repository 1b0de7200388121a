import { BusSubscription, EventBus, SubscribeOptions, SubscriptionStatus } from '@lp/messaging';

export interface ReportedSubscription {
  status: SubscriptionStatus;
  caughtUp: () => Promise<void>;
}

const byOwner = new WeakMap<object, Map<string, ReportedSubscription>>();

/**
 * The bus as seen by a consumer that does not report its own status (a projection fed from the
 * bus): each subscription it opens reports under `name` and is listed for `owner`'s status.
 */
export function busReportingTo(owner: object, name: string, bus: EventBus): EventBus {
  return {
    publish: (...args) => bus.publish(...args),
    subscribe: async (options: SubscribeOptions) => {
      const status = options.status ?? new SubscriptionStatus(name, 'projection', { groupId: options.groupId, topics: options.topics });
      const subscription: BusSubscription = await bus.subscribe({ ...options, status });
      const known = byOwner.get(owner) ?? new Map<string, ReportedSubscription>();
      byOwner.set(owner, known.set(name, { status, caughtUp: () => subscription.caughtUp() }));
      return subscription;
    },
    close: () => bus.close(),
  };
}

/** The subscriptions opened through busReportingTo(owner, …). */
export function busSubscriptionsOf(owner: object): ReportedSubscription[] {
  return [...(byOwner.get(owner)?.values() ?? [])];
}
