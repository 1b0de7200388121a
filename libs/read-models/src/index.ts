// The ReadStore port, projections and their runners, list queries, time travel, and the in-memory
// store (mingo): nothing here loads a driver. The adapters have entry points of their own:
// @lp/read-models/sqlite (better-sqlite3) and @lp/read-models/mongo (mongoose).
export * from './read-store';
export * from './versioned-read-store';
export * from './source-version';
export * from './in-memory/in-memory-read-store';
export * from './projection';
export * from './projection-runner';
export * from './bus-projection-consumer';
export * from './list-query';
export * from './count-events';
export * from './time-travel';
