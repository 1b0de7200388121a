import { MessageHandler } from './event-bus';

/** Event ids a consumer has already handled (delivery is at least once, so consumers dedupe). */
export interface ProcessedEvents {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

/**
 * Skips an event whose id was handled before. The id is recorded only after the handler
 * succeeded, so a failed attempt is retried rather than lost. For exactly-once effects the
 * handler's own write and `add` belong in one transaction (e.g. SqliteProcessedEvents on the
 * same Database as the read model, in-process/sqlite-processed-events.ts).
 */
export function dedupeByEventId(handler: MessageHandler, seen: ProcessedEvents): MessageHandler {
  return async (event, delivery) => {
    if (await seen.has(event.eventId)) return;
    await handler(event, delivery);
    await seen.add(event.eventId);
  };
}

/** For in-memory projections, which are rebuilt from the beginning on every start anyway. */
export class InMemoryProcessedEvents implements ProcessedEvents {
  private readonly ids = new Set<string>();

  async has(eventId: string): Promise<boolean> {
    return this.ids.has(eventId);
  }

  async add(eventId: string): Promise<void> {
    this.ids.add(eventId);
  }
}
