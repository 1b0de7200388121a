// The SQLite adapters (better-sqlite3): the embedded event store, its checkpoints and helpers.
export * from './open-sqlite-database';
export * from './polling-subscription';
export * from './sqlite-checkpoint-store';
export * from './sqlite-event-store';
export * from './wal-sync';
export * from './limited-statements';
