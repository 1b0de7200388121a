import { EventBus } from '../event-bus';
import { ConsumerGroupOffsets } from './group-offsets';

/** The consumer-group offsets of a bus, or undefined for a bus whose groups ops cannot move. */
export function groupOffsetsOf(bus: EventBus): ConsumerGroupOffsets | undefined {
  return bus.consumerGroupOffsets?.();
}
