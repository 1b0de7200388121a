import Database from 'better-sqlite3';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const COLUMN_PREFIX = 'key:';
/**
 * The name of a field's column while it is filled from the rows already there (KeyColumns.beginFill):
 * written by every write, read by no filter or sort, renamed to its `key:` name once filled. A start
 * that finds one (a crash or a close cut its fill short) fills it again.
 */
const FILLING_PREFIX = 'key~filling:';
const fillingColumnOf = (path: string) => quote(`${FILLING_PREFIX}${path}`);

/** A field's column: `"key:status"`. Paths are plain dotted names (sql-filter.ts' SAFE_PATH), never quoted inside. */
export const keyColumnOf = (path: string) => quote(`${COLUMN_PREFIX}${path}`);
const extracted = (path: string, doc: string) => `json_extract(${doc}, '$.${path}')`;

/** What a write knows of the row it replaces: its key values (KeyColumns.valuesOf), none, or that it exists unread. */
export type KeyValuesBefore = unknown[] | typeof NO_ROW | typeof ROW_UNREAD;
export const NO_ROW = 'no row';
export const ROW_UNREAD = 'row unread';

/**
 * The fields a collection's declared indexes sort and filter by, each copied into a column of its
 * own beside the document (`"key:status"`), which the indexes are made on.
 *
 * Why: SQLite updates every index whose columns a statement sets. An index on an expression of the
 * document (`json_extract(doc, '$.status')`) is updated at every write of the document, because
 * `doc` is set, though most writes change none of its keys. Six such indexes made the subscriptions
 * screen's row write 51 µs where the row alone takes 7 (bench/whatif/key-columns.ts). A write here
 * sets only the key columns whose values changed, so only their indexes are touched.
 *
 * A column holds exactly what `json_extract(doc, '$.path')` gives (SQL computes it from the
 * document's JSON), so a filter or a sort reads the column where it read that expression. A write
 * that cannot tell what changed (the row was not read) sets them all.
 *
 * A field declared over rows already there gets its column under a filling name, which writes set and
 * no read uses, filled a range of rows at a time (beginFill), then renamed (completeFill): no read sees
 * a column half filled, and the event loop is never held for the whole table (~10 s at 1M orders).
 */
export class KeyColumns {
  /** The filled columns: read by filters and sorts, set by writes. */
  private readonly columns = new Map<string, string>();
  /** The columns being filled (beginFill): set by writes only. */
  private readonly filling = new Map<string, string>();
  /** `paths`: the fields of both. */
  private written: string[] = [];
  /**
   * Filling columns of fields that have a filled column too, which no write sets and no read uses
   * (a release without filling names added its own meanwhile): their names stay taken.
   */
  private readonly stale = new Set<string>();
  /** The upsert of a new row, and of each set of changed columns: its parameters are id, versions, JSON. */
  private readonly statements = new Map<string, Database.Statement<[string, string, string]>>();

  private readonly table: string;

  constructor(
    private readonly db: Database.Database,
    /** The table's name, unquoted. */
    rawName: string,
  ) {
    this.table = quote(rawName);
    const names = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(rawName);
    for (const name of names) {
      if (name.startsWith(COLUMN_PREFIX)) this.columns.set(name.slice(COLUMN_PREFIX.length), quote(name));
      else if (name.startsWith(FILLING_PREFIX)) this.filling.set(name.slice(FILLING_PREFIX.length), quote(name));
    }
    for (const path of this.filling.keys()) {
      if (!this.columns.has(path)) continue;
      this.filling.delete(path);
      this.stale.add(path);
    }
    this.columnsChanged();
  }

  /** The column of a field, when it has one: what filters and sorts read instead of the document. */
  column(path: string): string | undefined {
    return this.columns.get(path);
  }

  /** The fields every write sets a column of: the filled ones, then those being filled. Kept, not made per write. */
  get paths(): readonly string[] {
    return this.written;
  }

  /** After a column was added, renamed or found: the paths, and the statements that name the columns. */
  private columnsChanged(): void {
    this.written = [...this.columns.keys(), ...this.filling.keys()];
    this.statements.clear();
  }

  private columnOf(path: string): string {
    return (this.columns.get(path) ?? this.filling.get(path))!;
  }

  /**
   * Columns for the fields of `paths` that have none yet, under their filling names, and the
   * statements that fill them from the rows there now: one `UPDATE` per range of `rowsPerStatement`
   * rowids, each a short hold of the file's write lock. Rows written meanwhile set them as they go.
   * A field whose fill was cut short is filled again. Undefined when every field has its column.
   * Inside the caller's transaction; completeFill() then makes them read.
   */
  beginFill(paths: string[], rowsPerStatement: number): { paths: string[]; statements: string[] } | undefined {
    const missing = [...new Set(paths)].filter((path) => path !== 'id' && !this.columns.has(path));
    if (missing.length === 0) return undefined;
    for (const path of missing) {
      if (this.filling.has(path)) continue;
      this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN ${fillingColumnOf(path)}`);
      this.filling.set(path, fillingColumnOf(path));
    }
    this.columnsChanged();
    const lastRow = this.db.prepare<[], number | null>(`SELECT max(rowid) FROM ${this.table}`).pluck().get() ?? 0;
    const set = missing.map((path) => `${this.filling.get(path)} = ${extracted(path, 'doc')}`).join(', ');
    const statements: string[] = [];
    for (let after = 0; after < lastRow; after += rowsPerStatement) {
      statements.push(`UPDATE ${this.table} SET ${set} WHERE rowid > ${after} AND rowid <= ${after + rowsPerStatement}`);
    }
    return { paths: missing, statements };
  }

  /** The filled columns of `paths` renamed to what filters and sorts read (`key:`), in the caller's transaction. */
  completeFill(paths: string[]): void {
    for (const path of paths) {
      const filling = this.filling.get(path);
      if (!filling) continue;
      this.db.exec(`ALTER TABLE ${this.table} RENAME COLUMN ${filling} TO ${keyColumnOf(path)}`);
      this.filling.delete(path);
      this.columns.set(path, keyColumnOf(path));
    }
    this.columnsChanged();
  }

  /**
   * Code that does not keep the columns wrote rows: every filled column goes back to its filling name,
   * unread, and the next beginFill (a start's indexes, made while it serves) fills it again from the
   * documents, a range at a time, where one statement here held the event loop ~10 s at 1M orders.
   * (Columns being filled are filled again whole anyway.) In the caller's transaction.
   */
  fillAgain(): void {
    const taken = [...this.columns].filter(([path]) => this.stale.has(path));
    for (const [path, column] of this.columns) {
      if (this.stale.has(path)) continue;
      this.db.exec(`ALTER TABLE ${this.table} RENAME COLUMN ${column} TO ${fillingColumnOf(path)}`);
      this.columns.delete(path);
      this.filling.set(path, fillingColumnOf(path));
    }
    // Their filling names are taken (see stale): set again here, in one statement. Seldom, if ever.
    if (taken.length > 0) this.db.exec(`UPDATE ${this.table} SET ${taken.map(([path, column]) => `${column} = ${extracted(path, 'doc')}`).join(', ')}`);
    this.columnsChanged();
  }

  /** What the columns hold of a document, as compared before and after a write. */
  valuesOf(doc: Record<string, unknown>): unknown[] {
    return this.paths.map((path) => valueAt(doc, path));
  }

  /**
   * Writes the row (an upsert): `json` is the document's JSON text. A new row gets every column; a
   * row that was there gets the columns whose values differ from `before`, or all when it was not read.
   */
  put(id: string, json: string, versions: string, before: KeyValuesBefore, after: Record<string, unknown>): void {
    const paths = this.paths;
    const changed = Array.isArray(before) ? paths.filter((path, i) => !sameKey(before[i], valueAt(after, path))) : paths;
    // Paths hold no spaces or commas (SAFE_PATH): no set of them reads as another, or as a new row's.
    const key = before === NO_ROW ? 'new row' : `set ${changed.join(',')}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const updated = before === NO_ROW ? paths : changed;
      const upsert = `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, versions = excluded.versions${updated.map((path) => `, ${this.columnOf(path)} = excluded.${this.columnOf(path)}`).join('')}`;
      // The document made JSONB once, its keys extracted from that; `WHERE true` lets ON CONFLICT follow
      // a SELECT. Without key columns, plain VALUES: ~1 µs less per write, in memory.
      statement = this.db.prepare(
        paths.length === 0
          ? `INSERT INTO ${this.table} (id, versions, doc) VALUES (?, ?, jsonb(?)) ${upsert}`
          : `INSERT INTO ${this.table} (id, doc, versions${paths.map((path) => `, ${this.columnOf(path)}`).join('')}) ` +
              `SELECT ?, doc, ?${paths.map((path) => `, ${extracted(path, 'doc')}`).join('')} FROM (SELECT jsonb(?) AS doc) WHERE true ${upsert}`,
      );
      // A handful of shapes per collection (which keys a kind of change touches); a bound, all the same.
      if (this.statements.size >= 64) this.statements.clear();
      this.statements.set(key, statement);
    }
    statement.run(id, versions, json);
  }
}

/** A dotted path's value, through objects only (undefined past anything else); the text index reads fields with it too. */
export function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/**
 * Whether json_extract gives the same for both (false when unsure: the column is then set, which is
 * always right). Missing and null are both NULL; objects and arrays are their JSON text.
 */
function sameKey(before: unknown, after: unknown): boolean {
  if (before === after || (before == null && after == null)) return true;
  return typeof before === 'object' && typeof after === 'object' && JSON.stringify(before) === JSON.stringify(after);
}
