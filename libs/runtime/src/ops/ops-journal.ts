import { CommandContext, EventStore, withMetadata } from '@lp/eventsourcing';

/**
 * What ops did, as events in the service's own store (stream `ops-journal`): the audit trail shows
 * who discarded a dead letter, re-drove, republished or rewound what, when and why. The stream's
 * prefix is no service's, so the forwarder never publishes it and no projection reads it.
 */
export const OPS_JOURNAL_STREAM = 'ops-journal';

export type OpsJournalEvent =
  | { type: 'DeadLetterDiscarded'; data: { deadLetterId: string; topic: string; groupId: string; eventId: string; reason: string } }
  | { type: 'DeadLettersRedriven'; data: { deadLetterIds: string[]; selection: object } }
  | { type: 'EventsRepublished'; data: { topic: string; count: number; selection: object } }
  | { type: 'ConsumerRewound'; data: { consumer: string; to: object; count: number } }
  | { type: 'ProjectionRebuildStarted'; data: { projection: string } };

export async function recordOpsAction(store: EventStore, event: OpsJournalEvent, context: CommandContext): Promise<void> {
  await store.appendToStream(OPS_JOURNAL_STREAM, withMetadata([event], context));
}
