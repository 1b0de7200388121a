import type Database from 'better-sqlite3';

/** Where the row limit goes in a LimitedStatements query. */
export const LIMIT_CLAUSE = '{limit}';

/** The most limits that get a statement of their own; further ones share one with the limit bound. */
const LIMITS_WRITTEN_IN = 4;

type Params = unknown[] | Record<string, unknown>;

/**
 * One query at the few row limits its callers use, each prepared with the limit written into the SQL
 * (`LIMIT 500`, or no LIMIT at all for -1). A LIMIT given as a bound parameter made SQLite's indexed
 * reads of a few rows two to three times slower here (a one-row stream read 21 µs against 7 µs, a
 * two-row position range 26 µs against 12 µs, in a loop on a 20k-event file), and these reads run
 * for every command and every subscriber. Limits beyond the usual few (a caller's own maxCount)
 * share one statement with the limit bound, so a caller cannot make the statements grow.
 */
export class LimitedStatements<Row> {
  private readonly written = new Map<number, Database.Statement>();
  private bound?: Database.Statement;

  /**
   * `sql` holds LIMIT_CLAUSE where the limit goes, and either positional or named (`@name`) parameters.
   * `raw`: each row is an array of its columns in the order selected (better-sqlite3's raw mode), not an object.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly sql: string,
    private readonly options: { raw?: boolean } = {},
  ) {
    if (!sql.includes(LIMIT_CLAUSE)) throw new Error(`LimitedStatements needs ${LIMIT_CLAUSE} in its SQL: ${sql}`);
  }

  /** The rows for `params`, at most `limit` (a negative limit: all of them). */
  all(limit: number, params: Params): Row[] {
    const written = this.writtenFor(limit);
    if (written) return (Array.isArray(params) ? written.all(...params) : written.all(params)) as Row[];
    const bound = (this.bound ??= this.prepare(this.sql.replace(LIMIT_CLAUSE, Array.isArray(params) ? 'LIMIT ?' : 'LIMIT @limit')));
    return (Array.isArray(params) ? bound.all(...params, limit) : bound.all({ ...params, limit })) as Row[];
  }

  private prepare(sql: string): Database.Statement {
    const statement = this.db.prepare(sql);
    return this.options.raw ? statement.raw(true) : statement;
  }

  private writtenFor(limit: number): Database.Statement | undefined {
    if (!Number.isSafeInteger(limit)) return undefined;
    const key = limit < 0 ? -1 : limit;
    let statement = this.written.get(key);
    if (!statement && this.written.size < LIMITS_WRITTEN_IN) {
      statement = this.prepare(this.sql.replace(LIMIT_CLAUSE, key < 0 ? '' : `LIMIT ${key}`));
      this.written.set(key, statement);
    }
    return statement;
  }
}
