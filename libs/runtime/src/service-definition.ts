import { Projection } from '@lp/read-models';

/** A projection fed by other services' integration events from the bus (a local projection). */
export interface BusProjectionDefinition {
  projection: Projection;
  topics: string[];
}

/**
 * What the composition root (embedded runtime or a service's own main) needs to know to run a
 * service: which streams are its own, which of its events are public, and which projections it runs.
 */
export interface ServiceDefinition {
  name: string;
  /** The topic its integration events are forwarded to (events.md). */
  topic: string;
  /** Prefixes of the streams it owns, e.g. 'order-' (never 'order', which would match 'orderNumber-'). */
  streamPrefixes: string[];
  /** Domain event types that are integration events, forwarded as they were stored. */
  publishedEventTypes: string[];
  /** Projections of its own events, fed from its event store. */
  projections: Projection[];
  /** Projections of other services' events, fed from the bus. */
  busProjections: BusProjectionDefinition[];
  /** Further topics its workers consume (BusReactor), created at start like the projections' topics. */
  consumedTopics?: string[];
}
