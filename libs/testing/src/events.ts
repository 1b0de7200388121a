import { randomUUID } from 'crypto';
import { EventEnvelope, EventToAppend } from '@lp/eventsourcing';
import { eventUpcasters } from '@lp/integration-events';

/** An event ready to append, with fresh id and plausible metadata (its type's current schemaVersion, as a writer stamps it), for store and bus tests. */
export function anEvent(type: string, data: unknown = {}, overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    type,
    data,
    eventId: randomUUID(),
    schemaVersion: eventUpcasters.currentVersion(type),
    occurredAt: new Date().toISOString(),
    correlationId: 'c',
    causationId: 'c',
    actor: { id: 'u-1' },
    ...overrides,
  };
}

/**
 * A committed event as a bus carries it: `type` at `revision` of the order `aggregate`'s stream
 * (the message key), for bus tests.
 */
export function anEnvelope(aggregate: string, revision: number, type = 'OrderPlaced', data: unknown = { revision }): EventEnvelope {
  return { ...anEvent(type, data), streamId: `order-${aggregate}`, streamRevision: revision } as EventEnvelope;
}
