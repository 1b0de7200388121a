// The EventStoreDB adapters (@eventstore/db-client, gRPC).
export * from './eventstoredb-event-store';
export * from './eventstoredb-checkpoint-store';
