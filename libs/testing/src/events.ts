import { randomUUID } from 'crypto';
import { EventToAppend } from '@lp/eventsourcing';

/** An event ready to append, with fresh id and plausible metadata, for store and bus tests. */
export function anEvent(type: string, data: unknown = {}, overrides: Partial<EventToAppend> = {}): EventToAppend {
  return {
    type,
    data,
    eventId: randomUUID(),
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'c',
    causationId: 'c',
    actor: { id: 'u-1' },
    ...overrides,
  };
}
