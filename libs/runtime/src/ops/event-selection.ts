import { EventFilter, RecordedEvent } from '@lp/eventsourcing';
import { ServiceRuntime } from '../service-runtime';

/** Which of a service's stored events an export or a republish takes. */
export interface EventSelection {
  /** After this global position (exclusive). */
  fromPosition?: number;
  /** Occurred at or after this instant (ISO 8601). */
  from?: string;
  /** Occurred before this instant (exclusive). */
  to?: string;
  /** One stream only, e.g. `order-<id>` or `ops-journal`. */
  stream?: string;
  /** Only these event types. */
  types?: string[];
}

/**
 * `published`: what the service publishes on its topic (the forwarder's filter: its stream prefixes
 * and published types), for a republish or a subscriber's export. `store`: every event of the
 * service's store (internal events, the ops journal, streams outside its prefixes), for an audit.
 */
export type EventScope = 'published' | 'store';

const PAGE = 500;

/** The selected events in store order, read page by page so an export of the whole log never holds it in memory. */
export async function* selectEvents(runtime: ServiceRuntime, selection: EventSelection, scope: EventScope = 'published'): AsyncGenerator<RecordedEvent> {
  const { streamPrefixes, publishedEventTypes } = runtime.definition;
  const wanted = scope === 'published' ? publishedFilter(streamPrefixes, publishedEventTypes) : () => true;
  const types = selection.types?.length ? new Set(selection.types) : undefined;
  const from = selection.from ? Date.parse(selection.from) : undefined;
  const to = selection.to ? Date.parse(selection.to) : undefined;
  // The store narrows by prefix; the exact stream id is checked below (`order-1` is a prefix of `order-10`).
  const filter: EventFilter | undefined = selection.stream ? { streamPrefixes: [selection.stream] } : scope === 'published' ? { streamPrefixes } : undefined;
  let after = selection.fromPosition ?? 0;
  for (;;) {
    const page = await runtime.eventStore.readAll({ fromPosition: after, maxCount: PAGE, filter });
    for (const event of page) {
      if (!wanted(event) || (types && !types.has(event.type))) continue;
      if (selection.stream && event.streamId !== selection.stream) continue;
      const at = Date.parse(event.occurredAt);
      if ((from !== undefined && at < from) || (to !== undefined && at >= to)) continue;
      yield event;
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1].position;
  }
}

function publishedFilter(streamPrefixes: string[], publishedEventTypes: readonly string[]): (event: RecordedEvent) => boolean {
  const published = new Set(publishedEventTypes);
  return (event) => published.has(event.type) && streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
}
