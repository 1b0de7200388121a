import { EventStore, RecordedEvent } from '@lp/eventsourcing';
import { InMemoryReadStore } from './in-memory/in-memory-read-store';
import { Projection } from './projection';
import { ReadStore } from './read-store';

/**
 * A stream's events that occurred at or before `asOf` (ISO 8601). The stream is cut at its first
 * later event rather than filtered, so a projection always sees a prefix of the stream even if a
 * writer's clock went back.
 */
export function eventsUpTo<E extends { occurredAt: string }>(events: E[], asOf: string): E[] {
  const limit = Date.parse(asOf);
  const later = events.findIndex((event) => Date.parse(event.occurredAt) > limit);
  return later === -1 ? events : events.slice(0, later);
}

export interface TimeTravelOptions {
  /** The projections whose rows are wanted, fed exactly as the live runner feeds them. */
  projections: Projection[];
  /** The resource's own streams. */
  streamIds: string[];
  /**
   * Further streams the rows copy fields from (an order row copies its customer's names), named
   * from the own streams' events up to `asOf`.
   */
  related?: (events: RecordedEvent[]) => string[];
  asOf: string;
}

/**
 * The read model as it was at `asOf`: the named streams' events up to that instant, merged in the
 * store's global order, replayed through the live projections into a scratch in-memory store. A row
 * that is absent from it did not exist then. Whatever a service joins at read time from its live
 * store (other services' names) is not part of it: that stays "now".
 */
export async function timeTravel(store: Pick<EventStore, 'readStream'>, options: TimeTravelOptions): Promise<ReadStore> {
  const read = (streamIds: string[]) => Promise.all(streamIds.map(async (id) => eventsUpTo(await store.readStream(id), options.asOf)));
  const own = (await read(options.streamIds)).flat();
  const related = options.related ? (await read(options.related(own).filter((id) => !options.streamIds.includes(id)))).flat() : [];
  return projectEvents(
    [...own, ...related].sort((a, b) => a.position - b.position),
    options.projections,
  );
}

/**
 * The rows the given projections make of `events`, in a scratch in-memory store: the read model's
 * shape without the read store (time travel, the answer of a command from the events it decided).
 * Fields a projection copies from other streams (a customer's name on an order) stay as the
 * projection leaves them when their source is absent.
 */
export async function projectEvents(events: readonly RecordedEvent[], projections: readonly Projection[]): Promise<ReadStore> {
  const scratch = new InMemoryReadStore({ scratch: true });
  for (const event of events) {
    for (const projection of projections) if (projection.handles.includes(event.type)) await projection.apply(event, scratch);
  }
  return scratch;
}
