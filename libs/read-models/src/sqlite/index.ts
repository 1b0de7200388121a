// The embedded read store: SQLite with indexes (better-sqlite3).
export * from './sqlite-read-store';
