import Database from 'better-sqlite3';
import { KeyColumns } from './key-columns';
import { LiveCounts } from './live-counts';
import { PathKinds } from './path-kinds';
import { TextIndex } from './text-index';

/**
 * A LIMIT or OFFSET written into the SQL: bound as a parameter it made SQLite's reads of a few rows
 * two to three times slower (see LimitedStatements). Only a whole number gets here.
 */
export function rowCount(count: number): string {
  if (!Number.isSafeInteger(count)) throw new Error(`A row count must be a whole number, not ${count}`);
  return String(count);
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const tableOf = (physicalName: string) => quote(`docs:${physicalName}`);

/** About how many rows a table holds: its largest rowid (rows are seldom deleted), read at once. */
export const rowEstimateSql = (name: string) => `SELECT max(rowid) AS rows FROM ${name}`;

/** The statements of one collection table, prepared once (and forgotten when the table is dropped). */
export class Table {
  readonly kinds = new PathKinds();
  readonly counts = new LiveCounts();
  text?: TextIndex;
  /** While `text` is being filled (TextIndexFill): settles once it serves searches, or another fill took its place. */
  textFilled?: Promise<void>;
  /** While key columns are being filled (KeyColumns.beginFill): settles once they are read. */
  keysFilled?: Promise<void>;
  readonly get: Database.Statement<[string], { doc: string; versions: string }>;
  /** The indexed fields' own columns; rows are written through it (KeyColumns.put). */
  readonly keys: KeyColumns;

  constructor(
    private readonly db: Database.Database,
    readonly name: string,
    /** The table's name unquoted, as query plans name it. */
    private readonly rawName: string,
  ) {
    this.rowEstimate = db.prepare(rowEstimateSql(name));
    this.get = db.prepare(`SELECT json(doc) AS doc, versions FROM ${name} WHERE id = ?`);
    this.keys = new KeyColumns(db, rawName);
  }

  private readonly queries = new Map<string, Database.Statement>();

  /** Runs a query, prepared once per SQL text (list screens repeat a handful of shapes). */
  all<Row>(sql: string, params: unknown[]): Row[] {
    let statement = this.queries.get(sql);
    if (!statement) {
      if (this.queries.size >= 200) this.queries.clear();
      this.queries.set(sql, (statement = this.db.prepare(sql)));
    }
    return statement.all(...params) as Row[];
  }

  private readonly sorting = new Map<string, boolean>();
  private readonly scanning = new Map<string, boolean>();
  private readonly rowEstimate: Database.Statement<[], { rows: number | null }>;

  /** After ANALYZE: the planner may choose otherwise now. */
  forgetPlans(): void {
    this.sorting.clear();
    this.scanning.clear();
  }

  /** Whether SQLite would read this table whole for the query, no index narrowing it (a SCAN of it, in rowid or in an index's order). */
  scans(sql: string): boolean {
    let scans = this.scanning.get(sql);
    if (scans === undefined) {
      scans = this.plan(sql).some((detail) => detail.startsWith(`SCAN ${this.rawName}`));
      if (this.scanning.size >= 200) this.scanning.clear();
      this.scanning.set(sql, scans);
    }
    return scans;
  }

  /** About how many rows the table holds (its largest rowid: rows are seldom deleted), at once. */
  rowsAbout(): number {
    return this.rowEstimate.get()?.rows ?? 0;
  }

  private plan(sql: string): string[] {
    const plan = this.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
    // Placeholders only need a value for the plan to be made; their values do not change it.
    const placeholders = (sql.match(/\?/g) ?? []).map(() => null);
    return plan.all(...placeholders).map((step) => step.detail);
  }

  /** Whether SQLite would sort the rows of this query itself (no index gives them in order). */
  sorts(sql: string): boolean {
    let sorts = this.sorting.get(sql);
    if (sorts === undefined) {
      sorts = this.plan(sql).some((detail) => detail.includes('TEMP B-TREE FOR ORDER BY'));
      if (this.sorting.size >= 200) this.sorting.clear();
      this.sorting.set(sql, sorts);
    }
    return sorts;
  }
}
