// The embedded runtime's bus: a durable, partitioned log in one SQLite file (better-sqlite3).
export * from './in-process-event-bus';
export * from './consumer-loop';
export * from './sqlite-processed-events';
export * from '../dead-letters/in-process-dead-letters';
export * from '../consumer-groups/in-process-group-offsets';
