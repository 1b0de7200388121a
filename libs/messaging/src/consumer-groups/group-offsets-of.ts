import { EventBus } from '../event-bus';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { ConsumerGroupOffsets } from './group-offsets';
import { InProcessGroupOffsets } from './in-process-group-offsets';

/** The consumer-group offsets of a bus, or undefined for a bus whose groups ops cannot move. */
export function groupOffsetsOf(bus: EventBus): ConsumerGroupOffsets | undefined {
  return bus instanceof InProcessEventBus ? new InProcessGroupOffsets(bus) : undefined;
}
