import Database from 'better-sqlite3';
import { openSqliteDatabase } from '@lp/eventsourcing/sqlite';
import { ProcessedEvents } from '../dedupe';

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
