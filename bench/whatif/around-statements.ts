import Database from 'better-sqlite3';
import { writeFileSync } from 'fs';

/** Wraps one better-sqlite3 call: its kind (run, get, all, iterate, exec, pragma), its SQL, and the call itself. */
export type AroundStatement = <R>(kind: string, sql: string, call: () => R) => R;

/**
 * Runs every statement any better-sqlite3 database of this process executes through `around`: the
 * what-if preloads' one way in (they count or time statements without the product knowing).
 */
export function aroundEveryStatement(around: AroundStatement): void {
  type Method = (this: Database.Statement, ...args: unknown[]) => unknown;
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, Method>;
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = statementPrototype[name];
    statementPrototype[name] = function (this: Database.Statement, ...args: unknown[]) {
      return around(name, this.source, () => original.apply(this, args));
    };
  }
  const databasePrototype = Database.prototype as unknown as Record<string, (this: Database.Database, sql: string, ...rest: unknown[]) => unknown>;
  for (const name of ['exec', 'pragma']) {
    const original = databasePrototype[name];
    databasePrototype[name] = function (this: Database.Database, sql: string, ...rest: unknown[]) {
      return around(name, sql, () => original.call(this, sql, ...rest));
    };
  }
}

/** One line per statement: its SQL on one line. */
export const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Writes `render()` to `file` when the process exits, and exits normally on the bench's SIGTERM so that it does. */
export function writeAtExit(file: string, render: () => string): void {
  process.on('exit', () => writeFileSync(file, render()));
  process.once('SIGTERM', () => process.exit(0));
}
