import { EventBus } from '../event-bus';
import { DeadLetters } from './dead-letters';

/** The dead letters of a bus, or undefined for a bus that parks nothing ops can see. */
export function deadLettersOf(bus: EventBus): DeadLetters | undefined {
  return bus.deadLetterStore?.();
}
