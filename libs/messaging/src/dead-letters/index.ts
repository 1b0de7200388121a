export * from './dead-letters';
export * from './in-process-dead-letters';
export * from './dead-letters-of';
export * from './kafka-dead-letters';
