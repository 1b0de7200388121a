import Database from 'better-sqlite3';
import { CheckpointStore } from '../event-store';
import { openSqliteDatabase } from './open-sqlite-database';

/**
 * Checkpoints in a table of a SQLite file. Given the event store's own Database (see
 * SqliteEventStore.checkpoints()), a forwarder's checkpoint lives in the same file as the events.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly selectStmt: Database.Statement<[string], { position: number }>;
  private readonly upsertStmt: Database.Statement<[string, number]>;

  constructor(database: Database.Database | string) {
    this.ownsDb = typeof database === 'string';
    this.db = typeof database === 'string' ? openSqliteDatabase(database) : database;
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      consumer_id TEXT PRIMARY KEY,
      position INTEGER NOT NULL
    )`);
    this.selectStmt = this.db.prepare('SELECT position FROM checkpoints WHERE consumer_id = ?');
    this.upsertStmt = this.db.prepare(
      `INSERT INTO checkpoints (consumer_id, position) VALUES (?, ?)
       ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position`,
    );
  }

  async load(consumerId: string): Promise<number | undefined> {
    return this.selectStmt.get(consumerId)?.position;
  }

  async store(consumerId: string, position: number): Promise<void> {
    this.upsertStmt.run(consumerId, position);
  }

  /** Closes the database only when this store opened it itself. */
  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
