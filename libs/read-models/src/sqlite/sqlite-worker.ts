import { Worker } from 'worker_threads';

/**
 * The worker's code: its own connection to the file (read-only unless asked), its pragmas, one
 * statement per message: its rows, or (`run`) how many rows it changed, counted as total_changes()
 * counts them (an FTS5 command's own writes included); `params` absent: a script. Kept as text (an
 * `eval` worker) so it runs the same from TypeScript under jest and from dist.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { readonly: workerData.readonly, fileMustExist: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
const totalChanges = db.prepare('SELECT total_changes()').pluck();
const statements = new Map();
parentPort.on('message', ({ id, sql, params, run }) => {
  try {
    const before = totalChanges.get();
    if (!params) {
      db.exec(sql);
      parentPort.postMessage({ id, rows: [], changes: totalChanges.get() - before });
      return;
    }
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 100) statements.clear();
      statements.set(sql, (statement = db.prepare(sql)));
    }
    if (run) {
      statement.run(...params);
      parentPort.postMessage({ id, rows: [], changes: totalChanges.get() - before });
      return;
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});`;

interface Reply {
  rows: unknown[];
  changes?: number;
}

interface Waiting {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

export interface SqliteWorkerOptions {
  /** A connection that may write (default: read-only, which refuses any write). */
  writable?: boolean;
  /** Run on the worker's connection when it opens, e.g. `busy_timeout = 5000`. */
  pragmas?: string[];
}

/**
 * Runs statements of the read store that would hold the event loop for long, in a worker thread on a
 * connection of its own, so that the loop, which all four embedded services share, keeps answering:
 * - read-only (WAL: readers never wait for the writer), the statements that read a whole table (a
 *   search of one or two characters, which no index serves, over 1M orders: seconds); before, one
 *   console user typing two characters held every request, health probe and projection for those seconds;
 * - writable, the making of an index over a filled table (1M rows: 1.5–3 s per index), while the
 *   store's own writes wait for it (SQLite has one writer per file: SqliteReadStore.writeTurn).
 *
 * The worker reads what is committed: callers commit their own connection's writes first. Started at
 * the first statement (a start loads no worker), stopped by close(); one that fails is started again
 * at the next statement.
 */
export class SqliteWorker {
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly filename: string,
    private readonly options: SqliteWorkerOptions = {},
  ) {}

  /** The rows of `sql`, read in the worker. */
  async all<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.send({ sql, params })).rows as Row[];
  }

  /** Runs `sql` (one or more statements, no placeholders) in the worker. */
  async exec(sql: string): Promise<void> {
    await this.send({ sql });
  }

  /** Runs `sql` in the worker (a script when `params` is absent): how many rows it changed, as total_changes() counts. */
  async run(sql: string, params?: unknown[]): Promise<number> {
    return (await this.send({ sql, params, run: true })).changes ?? 0;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The read store was closed while a statement was running'));
    await worker?.terminate();
  }

  private send(message: { sql: string; params?: unknown[]; run?: boolean }): Promise<Reply> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Kept alive while a statement is waited for, and only then (below, and at the start).
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const workerData = { driver: require.resolve('better-sqlite3'), filename: this.filename, readonly: !this.options.writable, pragmas: this.options.pragmas ?? [] };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    // An idle worker must not keep a process from exiting.
    worker.unref();
    worker.on('message', ({ id, rows, changes, error }: { id: number; rows?: unknown[]; changes?: number; error?: { message: string; code?: string } }) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
      if (!waiting) return;
      if (error) waiting.reject(Object.assign(new Error(error.message), { code: error.code }));
      else waiting.resolve({ rows: rows ?? [], changes });
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The read store's worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
