import Database from 'better-sqlite3';
import { openSqliteDatabase } from '@lp/eventsourcing/sqlite';
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
 * same Database as the read model).
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

/** Durable processed ids, one namespace per consumer, in any SQLite database (ideally the consumer's own). */
export class SqliteProcessedEvents implements ProcessedEvents {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly hasStmt: Database.Statement<[string, string], unknown>;
  private readonly addStmt: Database.Statement<[string, string]>;

  constructor(
    database: Database.Database | string,
    private readonly consumerId: string,
  ) {
    this.ownsDb = typeof database === 'string';
    this.db = typeof database === 'string' ? openSqliteDatabase(database) : database;
    this.db.exec(`CREATE TABLE IF NOT EXISTS processed_events (
      consumer_id TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (consumer_id, event_id)) WITHOUT ROWID`);
    this.hasStmt = this.db.prepare('SELECT 1 FROM processed_events WHERE consumer_id = ? AND event_id = ?');
    this.addStmt = this.db.prepare('INSERT OR IGNORE INTO processed_events (consumer_id, event_id) VALUES (?, ?)');
  }

  async has(eventId: string): Promise<boolean> {
    return this.hasStmt.get(this.consumerId, eventId) !== undefined;
  }

  async add(eventId: string): Promise<void> {
    this.addStmt.run(this.consumerId, eventId);
  }

  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
