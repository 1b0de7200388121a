import Database from 'better-sqlite3';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const COLUMN_PREFIX = 'key:';

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
 */
export class KeyColumns {
  private readonly columns = new Map<string, string>();
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
    for (const name of names) if (name.startsWith(COLUMN_PREFIX)) this.columns.set(name.slice(COLUMN_PREFIX.length), quote(name));
  }

  /** The column of a field, when it has one: what filters and sorts read instead of the document. */
  column(path: string): string | undefined {
    return this.columns.get(path);
  }

  get paths(): string[] {
    return [...this.columns.keys()];
  }

  /**
   * Columns for fields that have none yet, filled from every row's document in the same statement
   * (inside the caller's transaction: no read sees a column half filled). Over a filled collection it
   * reads every row once, at the first start that declares the field.
   */
  add(paths: string[]): boolean {
    const added = [...new Set(paths)].filter((path) => path !== 'id' && !this.columns.has(path));
    if (added.length === 0) return false;
    for (const path of added) {
      this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN ${keyColumnOf(path)}`);
      this.columns.set(path, keyColumnOf(path));
    }
    this.fill(added);
    return true;
  }

  /** Every column set again from its row's document: code that does not keep them wrote the rows. */
  refill(): void {
    if (this.columns.size) this.fill(this.paths);
  }

  private fill(paths: string[]): void {
    this.db.exec(`UPDATE ${this.table} SET ${paths.map((path) => `${keyColumnOf(path)} = ${extracted(path, 'doc')}`).join(', ')}`);
    this.statements.clear();
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
      const upsert = `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, versions = excluded.versions${updated.map((path) => `, ${keyColumnOf(path)} = excluded.${keyColumnOf(path)}`).join('')}`;
      // The document made JSONB once, its keys extracted from that; `WHERE true` lets ON CONFLICT follow
      // a SELECT. Without key columns, plain VALUES: ~1 µs less per write, in memory.
      statement = this.db.prepare(
        paths.length === 0
          ? `INSERT INTO ${this.table} (id, versions, doc) VALUES (?, ?, jsonb(?)) ${upsert}`
          : `INSERT INTO ${this.table} (id, doc, versions${paths.map((path) => `, ${keyColumnOf(path)}`).join('')}) ` +
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
