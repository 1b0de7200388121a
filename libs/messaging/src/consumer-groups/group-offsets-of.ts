import { EventBus } from '../event-bus';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { ConsumerGroupOffsets } from './group-offsets';
import { InProcessGroupOffsets } from './in-process-group-offsets';
import { KafkaEventBus } from '../kafka/kafka-event-bus';
import { KafkaGroupOffsets } from './kafka-group-offsets';

/** The consumer-group offsets of a bus, or undefined for a bus whose groups ops cannot move. */
export function groupOffsetsOf(bus: EventBus): ConsumerGroupOffsets | undefined {
  if (bus instanceof InProcessEventBus) return new InProcessGroupOffsets(bus);
  if (bus instanceof KafkaEventBus) return new KafkaGroupOffsets(bus);
  return undefined;
}
