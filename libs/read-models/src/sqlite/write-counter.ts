import Database from 'better-sqlite3';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const OPERATIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * Tells whether code other than this store wrote a collection's table since this store last
 * committed. Other code can be an older release a platform team rolled back to: it writes documents
 * but not the totals (LiveCounts) or the text index kept beside them, which are then wrong for good
 * once this code runs again.
 *
 * A trigger on the table, kept in the file, counts every row anyone writes (`written`). Each commit
 * of this store notes that count for the tables it keeps (`kept`). When the table is next opened,
 * `written` ≠ `kept` means someone else wrote it. So does a table without the triggers: code that does
 * not make them created it, after this code had adopted the file.
 *
 * Adopting a file (its first open by this code) trusts what it holds: the release before this one
 * kept the same totals and index, and making them again costs a start minutes at 1M orders.
 */
export class WriteCounter {
  static readonly SCHEMA = 'CREATE TABLE IF NOT EXISTS read_writes (collection TEXT PRIMARY KEY, written INTEGER NOT NULL, kept INTEGER NOT NULL)';
  private static readonly ADOPTED = 'writes counted since';

  private readonly statements: {
    triggers: Database.Statement<[string], number>;
    counted: Database.Statement<[string], { written: number; kept: number }>;
    start: Database.Statement<[string]>;
    keep: Database.Statement<[string]>;
    forget: Database.Statement<[string]>;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = {
      triggers: db.prepare<[string], number>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").pluck(),
      counted: db.prepare('SELECT written, kept FROM read_writes WHERE collection = ?'),
      start: db.prepare('INSERT OR IGNORE INTO read_writes (collection, written, kept) VALUES (?, 0, 0)'),
      keep: db.prepare('UPDATE read_writes SET kept = written WHERE collection = ?'),
      forget: db.prepare('DELETE FROM read_writes WHERE collection = ?'),
    };
    this.adopt();
  }

  /** At the file's first open by this code: every table there is counted from now on, trusted as it is. */
  private adopt(): void {
    const adopted = this.db.prepare<[string], number>('SELECT 1 FROM read_store_meta WHERE key = ?').pluck();
    if (adopted.get(WriteCounter.ADOPTED)) return;
    const tables = this.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs:%'").pluck().all();
    this.db.transaction(() => {
      for (const table of tables) {
        const physicalName = table.slice('docs:'.length);
        this.startCounting(physicalName, table);
        this.keep(physicalName);
      }
      this.db.prepare('INSERT OR IGNORE INTO read_store_meta (key, value) VALUES (?, ?)').run(WriteCounter.ADOPTED, new Date().toISOString());
    })();
  }

  /** Whether only this code wrote the collection's table since it last committed (see the class comment). */
  onlyThisCodeWrote(physicalName: string, tableName: string): boolean {
    const row = this.statements.counted.get(physicalName);
    return this.statements.triggers.get(tableName) === OPERATIONS.length && row !== undefined && row.written === row.kept;
  }

  /** Counts every row written to the table from now on (inside a write transaction); idempotent. */
  startCounting(physicalName: string, tableName: string): void {
    this.statements.start.run(physicalName);
    for (const operation of OPERATIONS) {
      const trigger = quote(`writes:${physicalName}:${operation.toLowerCase()}`);
      this.db.exec(
        `CREATE TRIGGER IF NOT EXISTS ${trigger} AFTER ${operation} ON ${quote(tableName)} ` +
          `BEGIN UPDATE read_writes SET written = written + 1 WHERE collection = ${literal(physicalName)}; END`,
      );
    }
  }

  /** In each commit of this store, for each table it keeps: what it keeps describes every write so far. */
  keep(physicalName: string): void {
    this.statements.keep.run(physicalName);
  }

  /** The table was dropped (its triggers went with it). */
  forget(physicalName: string): void {
    this.statements.forget.run(physicalName);
  }
}
