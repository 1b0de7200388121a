import Database from 'better-sqlite3';
import { SqliteSynchronous } from './open-sqlite-database';

const durableWrites = new WeakMap<Database.Database, Database.Transaction<(write: () => void) => void>>();

/**
 * One write transaction committed with `durability` on a connection that otherwise commits with
 * synchronous NORMAL. In WAL mode a FULL commit fsyncs the WAL, and with it every commit made before
 * it, so this makes all earlier NORMAL commits durable too — one fsync for many commits. A marker row
 * makes the transaction write, and so sync, even when `write` has nothing to write.
 */
export function commitDurably(db: Database.Database, durability: SqliteSynchronous, write: () => void = () => undefined): void {
  let transaction = durableWrites.get(db);
  if (!transaction) {
    db.exec('CREATE TABLE IF NOT EXISTS durable_marks (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)');
    const mark = db.prepare('INSERT INTO durable_marks (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
    transaction = db.transaction((inside: () => void) => {
      mark.run(new Date().toISOString());
      inside();
    });
    durableWrites.set(db, transaction);
  }
  db.pragma(`synchronous = ${durability === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  try {
    transaction.immediate(write);
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
