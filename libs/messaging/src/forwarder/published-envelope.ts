import { Actor, EventEnvelope, RecordedEvent, toEnvelope } from '@lp/eventsourcing';

/**
 * The envelope as other services and downstream systems receive it (events.md): the actor is
 * reduced to who it was and for which reseller. Staff names and roles stay in the service's own
 * store (its history screens show them); a subscriber has no need for them.
 */
export function toPublishedEnvelope(event: RecordedEvent): EventEnvelope {
  return { ...toEnvelope(event), actor: publishedActor(event.actor) };
}

function publishedActor(actor: Actor): Actor {
  return actor.resellerId === undefined ? { id: actor.id } : { id: actor.id, resellerId: actor.resellerId };
}
