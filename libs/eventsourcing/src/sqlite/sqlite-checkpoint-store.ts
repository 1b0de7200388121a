import Database from 'better-sqlite3';
import { CheckpointStore } from '../event-store';
import { openSqliteDatabase } from './open-sqlite-database';

export interface SqliteCheckpointStoreOptions {
  /**
   * Commit a checkpoint without waiting for the disk (synchronous NORMAL for that commit), whatever
   * the connection's own setting. For a checkpoint that may go back after a power loss, because what
   * it covers is made durable elsewhere and redone idempotently (a forwarder's: the bus log is synced
   * first, and consumers dedupe by event id). The next synced commit of the file makes it durable too.
   */
  relaxedSync?: boolean;
}

/**
 * Checkpoints in a table of a SQLite file. Given the event store's own Database (see
 * SqliteEventStore.checkpoints()), a forwarder's checkpoint lives in the same file as the events.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly selectStmt: Database.Statement<[string], { position: number }>;
  private readonly upsertStmt: Database.Statement<[string, number]>;

  constructor(
    database: Database.Database | string,
    private readonly options: SqliteCheckpointStoreOptions = {},
  ) {
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
    if (!this.options.relaxedSync) {
      this.upsertStmt.run(consumerId, position);
      return;
    }
    // A number: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    const level = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.upsertStmt.run(consumerId, position);
    } finally {
      this.db.pragma(`synchronous = ${level}`);
    }
  }

  /** Closes the database only when this store opened it itself. */
  async close(): Promise<void> {
    if (this.ownsDb) this.db.close();
  }
}
