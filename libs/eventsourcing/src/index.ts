// Ports, deciders, the command handler, errors and resilience: nothing here loads a database driver.
// The adapters have entry points of their own: @lp/eventsourcing/sqlite (better-sqlite3) and
// @lp/eventsourcing/eventstoredb (the gRPC client).
export * from './envelope';
export * from './event-store';
export * from './errors';
export * from './store-unavailable';
export * from './decider';
export * from './command-handler';
export * from './document-numbers';
export * from './resilience/transient-errors';
export * from './resilience/retry-policy';
export * from './checkpoint-ahead';
export * from './deferred-checkpoint-store';
export * from './wake-signal';
export * from './event-loop-share';
export * from './new-id';
