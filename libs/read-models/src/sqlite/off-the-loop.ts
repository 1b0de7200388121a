import { EventLoopShare } from '@lp/eventsourcing';
import { SqliteWorker } from './sqlite-worker';
import { Table } from './table';

/** Rows ANALYZE samples per index (its analysis_limit), on the store's connection and in the index worker. */
export const ANALYSIS_LIMIT = 1_000;

/** What OffTheLoop needs of the table its statements read: how big it is, and its plans to forget once it changed. */
export type ReadTable = Pick<Table, 'rowsAbout' | 'forgetPlans'>;

/** Runs one statement (`params` absent: a script) and answers how many rows it changed (total_changes()). */
export type RunStatement = (sql: string, params?: unknown[]) => Promise<number>;

export interface OffTheLoopOptions {
  /** The file and durability an index worker opens; absent (a database in memory, which no other connection sees): everything runs here. */
  worker?: { filename: string; synchronous: string };
  /** Rows from which a table's statements run in the worker (SqliteReadStoreOptions.offThreadRows). */
  offThreadRows: number;
  /** Runs a statement on the store's own connection, in its grouped transaction: the rows it changed. */
  runHere: (sql: string, params?: unknown[]) => number;
  /** Commits the store's writes so far: the worker would otherwise wait for this connection's lock. */
  commit: () => void;
}

/**
 * Where a read store runs the statements that each read a whole table or a large part of it (a
 * `CREATE INDEX`, its `ANALYZE`, a range of a key column's or a text index's fill). Over a big table
 * (offThreadRows) in a worker, on a writable connection of its own: one index over 1M rows takes
 * 1.5–3 s, during which the event loop that all embedded services share would answer nothing (a
 * rebuild's four held it four times). Meanwhile the store's writes wait for their turn (writeTurn), and
 * get it between two statements. Over a small table on the store's connection, with turns handed over
 * between statements.
 */
export class OffTheLoop {
  /** Settles when the statement a worker is running is done: the store's writes wait for it (writeTurn). */
  private building?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: OffTheLoopOptions) {}

  /** Runs `work`'s statements where `table`'s size says (see the class comment); `sliceMs`: how long each turn here may last. */
  async run(table: ReadTable, work: (run: RunStatement) => Promise<void>, sliceMs?: number): Promise<void> {
    const { worker: workerOptions, offThreadRows, runHere } = this.options;
    if (!workerOptions || table.rowsAbout() < offThreadRows) {
      const share = new EventLoopShare(sliceMs);
      await work(async (sql, params) => {
        await share.handOverIfDue();
        await this.writeTurn();
        return runHere(sql, params);
      });
      return;
    }
    const { filename, synchronous } = workerOptions;
    // The worker's own commits checkpoint the WAL it grew, there (wal_autocheckpoint left at its
    // default), where this connection's next commit would copy the index's pages into the file here.
    // An 8 MB cache: 注文一覧's indexes over 1M orders took 11.2 s and no more memory than made here,
    // with this store's 128 MB 12.7 s and 250 MB more (bench/index-build-bench.ts).
    const worker = new SqliteWorker(filename, { writable: true, pragmas: ['busy_timeout = 60000', `synchronous = ${synchronous}`, 'cache_size = -8000', `analysis_limit = ${ANALYSIS_LIMIT}`] });
    try {
      await work((sql, params) => this.whileWritesWait(() => worker.run(sql, params)));
    } finally {
      await worker.close();
    }
    table.forgetPlans();
  }

  /** run() for a list of scripts, run in order. */
  async runEach(table: ReadTable, statements: string[]): Promise<void> {
    if (statements.length === 0) return;
    await this.run(table, async (run) => {
      for (const sql of statements) await run(sql);
    });
  }

  /**
   * Runs `write`, another connection's write of the file, at its turn (buildTurn), after the store's
   * writes so far are committed; the store's writes wait for it meanwhile (writeTurn).
   */
  async whileWritesWait<T>(write: () => Promise<T>): Promise<T> {
    await this.buildTurn();
    // Stopped: no statement is begun that nothing would wait for.
    if (this.stopped) throw new Error('The read store was closed while it worked through a whole table (an index, a fill or a reset)');
    this.options.commit();
    const running = write();
    const building = running.then(
      () => undefined,
      () => undefined,
    );
    this.building = building;
    try {
      return await running;
    } finally {
      if (this.building === building) this.building = undefined;
    }
  }

  /** Undefined when the store's connection may write now; else settles when it may: a worker holds the file's one write lock. */
  writeTurn(): Promise<void> | undefined {
    return this.building && this.untilBuilt();
  }

  /** The store closes: the statement a worker is running is finished, and no other is begun. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.writeTurn();
  }

  private async untilBuilt(): Promise<void> {
    while (this.building) await this.building;
  }

  /**
   * When a worker may start a statement: no other is running, and a whole turn of the event loop has
   * gone by since the last one ended. The writes that waited for it resume in microtasks, each checking
   * `building` and then writing a few hops later; a statement begun among those hops (another
   * collection's, which waited too) would take the lock before them, and they would block the loop.
   */
  private async buildTurn(): Promise<void> {
    do {
      await this.writeTurn();
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (this.building);
  }
}
