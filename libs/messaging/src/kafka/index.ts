// The distributed runtime's bus: Kafka through kafkajs.
export * from './kafka-event-bus';
export * from './lost-history';
export * from '../dead-letters/kafka-dead-letters';
export * from '../consumer-groups/kafka-group-offsets';
