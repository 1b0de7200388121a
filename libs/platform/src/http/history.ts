import { RecordedEvent } from '@lp/eventsourcing';

/** GET /:resource/:id/history: the stream's events with their metadata, oldest first. */
export function historyItem(event: RecordedEvent) {
  const { eventId, type, schemaVersion, streamId, streamRevision, occurredAt, correlationId, causationId, actor, data } = event;
  return { eventId, type, schemaVersion, streamId, streamRevision, occurredAt, correlationId, causationId, actor, data };
}
