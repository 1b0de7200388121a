export * from './event-bus';
export * from './dedupe';
export * from './in-process/in-process-event-bus';
export * from './in-process/consumer-loop';
export * from './forwarder/store-forwarder';
export * from './kafka/kafka-event-bus';
export * from './interruptible-delay';
