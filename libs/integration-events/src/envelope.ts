import { z } from 'zod';
import { Timestamp } from './common';

/**
 * The envelope of events.md as published: the actor is reduced to who it was and for which
 * reseller (staff names and roles stay in the producing service).
 */
export const PublishedActor = z.object({
  id: z.string().describe('The user (or system process) that caused the event.'),
  resellerId: z.string().optional().describe('The reseller the user works for; absent for distributor staff and system processes.'),
});

const EventId = z.string().describe('Unique per event (a UUID): subscribers dedupe by it.');

/** The fields after eventId, type and schemaVersion, in the order of events.md. */
const envelopeFields = {
  streamId: z.string().describe('`<aggregate>-<aggregate id>`, e.g. `order-7c9e…`; the Kafka key is the part after the first `-`.'),
  streamRevision: z.int().min(0).describe('Position of the event in its stream, from 0.'),
  occurredAt: Timestamp,
  correlationId: z.string().describe('The request that started it all.'),
  causationId: z.string().describe('The event id or request id that caused this event.'),
  actor: PublishedActor,
};

/** The envelope of one version of one event: `data` is that version's schema. */
export function envelopeOf(type: string, schemaVersion: number, data: z.ZodType) {
  return z.object({
    eventId: EventId,
    type: z.literal(type),
    schemaVersion: z.literal(schemaVersion),
    ...envelopeFields,
    data,
  });
}

/** Any published envelope, `data` left to the event's own schema. */
export const PublishedEnvelope = z.object({
  eventId: EventId,
  type: z.string().describe('The event type, e.g. `OrderPlaced`; also the `eventType` header.'),
  schemaVersion: z.int().min(1).describe('The version of the event’s `data` schema; also the `schemaVersion` header.'),
  ...envelopeFields,
  data: z.record(z.string(), z.unknown()).describe('The event’s own data: see its schema for this type and schemaVersion.'),
});
