export * from './read-store';
export * from './source-version';
export * from './in-memory/in-memory-read-store';
export * from './projection';
export * from './projection-runner';
export * from './bus-projection-consumer';
export * from './list-query';
export * from './mongo/mongo-read-store';
