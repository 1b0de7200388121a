import Database from 'better-sqlite3';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

/**
 * Opens a better-sqlite3 database the way every embedded store here wants it: WAL so readers
 * (subscriptions, other processes) never block the writer, and `synchronous` FULL by default so a
 * commit survives power loss, not only a process crash. busy_timeout lets a second process
 * writing the same file wait for the lock instead of failing with SQLITE_BUSY.
 */
export function openSqliteDatabase(filename: string, synchronous: SqliteSynchronous = 'FULL'): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  // The default (1000 pages, ~4 MB) runs a checkpoint inside a commit every few dozen batches;
  // a larger WAL between checkpoints keeps commit latency flat under load.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -32000'); // 32 MB of page cache: indexes of a busy store stay in memory
  return db;
}
