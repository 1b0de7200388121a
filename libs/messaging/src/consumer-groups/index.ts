export * from './group-offsets';
export * from './in-process-group-offsets';
export * from './group-offsets-of';
export * from './kafka-group-offsets';
