import { EventBus } from '../event-bus';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { DeadLetters } from './dead-letters';
import { InProcessDeadLetters } from './in-process-dead-letters';
import { KafkaEventBus } from '../kafka/kafka-event-bus';
import { KafkaDeadLetters } from './kafka-dead-letters';

const adapters = new WeakMap<EventBus, DeadLetters>();

/** The dead letters of a bus (one adapter per bus), or undefined for a bus that parks nothing ops can see. */
export function deadLettersOf(bus: EventBus): DeadLetters | undefined {
  let adapter = adapters.get(bus);
  if (!adapter && bus instanceof InProcessEventBus) adapter = new InProcessDeadLetters(bus);
  if (!adapter && bus instanceof KafkaEventBus) adapter = new KafkaDeadLetters(bus);
  if (adapter) adapters.set(bus, adapter);
  return adapter;
}
