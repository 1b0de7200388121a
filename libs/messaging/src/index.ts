// The bus port and what works over any bus (forwarder, dedupe, headers, dead-letter and
// consumer-group ports, status): nothing here loads a driver. The adapters have entry points of
// their own: @lp/messaging/in-process (better-sqlite3) and @lp/messaging/kafka (kafkajs).
export * from './event-bus';
export * from './dedupe';
export * from './forwarder/store-forwarder';
export * from './forwarder/published-envelope';
export * from './message-headers';
export * from './dead-letters';
export * from './status/subscription-status';
export * from './consumer-groups';
export * from './subscriptions/checkpointed-subscription';
export * from './subscriptions/checkpoint-committer';
export * from './subscriptions/bus-consumer';
