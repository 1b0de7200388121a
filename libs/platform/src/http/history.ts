import { EventStore, RecordedEvent } from '@lp/eventsourcing';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { canSee } from '../auth/visibility';

/** GET /:resource/:id/history: the stream's events with their metadata, oldest first. */
export function historyItem(event: RecordedEvent) {
  const { eventId, type, schemaVersion, streamId, streamRevision, occurredAt, correlationId, causationId, actor, data } = event;
  return { eventId, type, schemaVersion, streamId, streamRevision, occurredAt, correlationId, causationId, actor, data };
}

/**
 * A stream's events for GET /:resource/:id/history, when the user may see it: its first event
 * (of `firstType`, when given: a stream may hold only bookkeeping) names the reseller that owns it;
 * another reseller's stream, or none, is "not found" (`notFoundError`).
 */
export async function visibleHistory(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  user: AuthenticatedUser,
  notFoundError: () => Error,
  firstType?: string,
): Promise<RecordedEvent[]> {
  const events = await store.readStream(streamId);
  const [first] = events;
  if (!first || (firstType && first.type !== firstType) || !canSee(user, (first.data as { resellerId?: string }).resellerId)) throw notFoundError();
  return events;
}
