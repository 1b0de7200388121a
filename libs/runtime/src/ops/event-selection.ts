import { RecordedEvent } from '@lp/eventsourcing';
import { ServiceRuntime } from '../service-runtime';

/** Which of a service's stored integration events an export or a republish takes. */
export interface EventSelection {
  /** After this global position (exclusive). */
  fromPosition?: number;
  /** Occurred at or after this instant (ISO 8601). */
  from?: string;
  /** Occurred before this instant (exclusive). */
  to?: string;
  /** One stream only, e.g. `order-<id>`. */
  stream?: string;
  /** Only these event types (each must be one the service publishes). */
  types?: string[];
}

const PAGE = 500;

/**
 * The service's own events that it publishes on its topic (the forwarder's filter), in store order,
 * read page by page so an export of the whole log never holds it in memory.
 */
export async function* selectEvents(runtime: ServiceRuntime, selection: EventSelection): AsyncGenerator<RecordedEvent> {
  const { streamPrefixes, publishedEventTypes } = runtime.definition;
  const published = new Set(publishedEventTypes);
  const types = selection.types?.length ? new Set(selection.types) : undefined;
  const from = selection.from ? Date.parse(selection.from) : undefined;
  const to = selection.to ? Date.parse(selection.to) : undefined;
  const filter = { streamPrefixes: selection.stream ? [selection.stream] : streamPrefixes };
  let after = selection.fromPosition ?? 0;
  for (;;) {
    const page = await runtime.eventStore.readAll({ fromPosition: after, maxCount: PAGE, filter });
    for (const event of page) {
      if (!published.has(event.type) || (types && !types.has(event.type))) continue;
      if (selection.stream && event.streamId !== selection.stream) continue;
      if (!streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) continue;
      const at = Date.parse(event.occurredAt);
      if ((from !== undefined && at < from) || (to !== undefined && at >= to)) continue;
      yield event;
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1].position;
  }
}
