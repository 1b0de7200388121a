import { Worker } from 'worker_threads';

/**
 * The worker's code: its own read-only connection to the file, one statement per message. Kept as
 * text (an `eval` worker) so it runs the same from TypeScript under jest and from dist.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 100) statements.clear();
      statements.set(sql, (statement = db.prepare(sql)));
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});`;

interface Waiting {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

/**
 * Runs the read store's statements that read a whole table (a search of one or two characters, which
 * no index serves, over 1M orders: seconds) in a worker thread, on a read-only connection of its own
 * (WAL: readers never wait for the writer). The event loop, which all four embedded services share,
 * keeps answering meanwhile; before, one console user typing two characters held every request,
 * health probe and projection for those seconds.
 *
 * The worker reads what is committed: callers commit their own connection's writes first. Started at
 * the first such statement (a start loads no worker), stopped by close(); one that fails is started
 * again at the next statement.
 */
export class ScanWorker {
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly filename: string) {}

  /** The rows of `sql`, read in the worker. */
  all<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<Row[]>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      // Kept alive while a read is waited for, and only then (below, and at the start).
      worker.ref();
      worker.postMessage({ id, sql, params });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The read store was closed while a read was running'));
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), filename: this.filename } });
    // An idle worker must not keep a process from exiting.
    worker.unref();
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
      if (!waiting) return;
      if (error) waiting.reject(Object.assign(new Error(error.message), { code: error.code }));
      else waiting.resolve(rows ?? []);
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The read store's scan worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
