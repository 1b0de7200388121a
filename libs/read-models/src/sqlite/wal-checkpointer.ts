import { SqliteWorker } from './sqlite-worker';

export interface WalCheckpointerOptions {
  /** The durability of the file: a checkpoint syncs the WAL before and the database after it (NORMAL and FULL). */
  synchronous: string;
  /** How long after a commit the WAL is checkpointed, at most once in that time (default 1,000 ms). */
  intervalMs?: number;
  /** The worker could not checkpoint: the store's connection takes the checkpoints back. */
  onFailure: (error: unknown) => void;
  /** Pages in the WAL from which a checkpoint also has it start over (see checkpoint()). */
  restartPages: number;
  /** Runs a write of the worker's while the store's writes wait for their turn (OffTheLoop.whileWritesWait). */
  whileWritesWait: <T>(write: () => Promise<T>) => Promise<T>;
}

/** Of what `PRAGMA wal_checkpoint` answers (busy, log, checkpointed): the pages in the WAL. */
interface CheckpointResult {
  log: number;
}

/**
 * Copies a read store's WAL into its database file in a worker thread, on a connection of its own,
 * instead of inside one of the store's commits. SQLite checkpoints in the commit that grows the WAL
 * past wal_autocheckpoint: 40 MB of pages copied and two syncs on the event loop that all embedded
 * services share, 170–200 ms at once during a rebuild of 1M events (a fast hour), where the rebuild's
 * other holds were under 90 ms. A PASSIVE checkpoint takes no lock the store's writes wait for: they go
 * on meanwhile, and what they add is copied by the next one.
 */
export class WalCheckpointer {
  private readonly worker: SqliteWorker;
  private readonly intervalMs: number;
  private timer?: ReturnType<typeof setTimeout>;
  /** When the timer set last was to fire. */
  private dueAt = 0;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    filename: string,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.worker = new SqliteWorker(filename, { writable: true, pragmas: [`synchronous = ${options.synchronous}`] });
    this.intervalMs = options.intervalMs ?? 1000;
  }

  /**
   * The store committed: a checkpoint follows within intervalMs (one for every commit meanwhile).
   * True when that checkpoint is overdue by another interval: the event loop has not turned since (a
   * loop of writes that awaits nothing but promises), and the WAL would grow for as long as it lasts,
   * and every read search it. The caller then checkpoints in this commit, on its own connection, as
   * SQLite does by itself.
   */
  committed(): boolean {
    if (this.stopped) return false;
    const now = Date.now();
    if (!this.timer) {
      this.dueAt = now + this.intervalMs;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.checkpoint();
      }, this.intervalMs);
      // A checkpoint due must not keep a process from exiting: the last connection's close checkpoints.
      this.timer.unref?.();
      return false;
    }
    if (now < this.dueAt + this.intervalMs) return false;
    // The next one in an interval again, if the loop still has not turned by then.
    this.dueAt = now;
    return true;
  }

  /** Waits for a checkpoint under way and starts no other; the store's close() then checkpoints what is left. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.worker.close();
  }

  private async checkpoint(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.copy().catch((error: unknown) => {
      if (this.stopped) return;
      this.stopped = true;
      this.options.onFailure(error);
    });
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * A PASSIVE checkpoint. The WAL starts over (from its first page, not growing the file) only at a
   * write that finds every page of it copied. While the store keeps writing, as in a catch-up, each
   * commit adds pages while a checkpoint runs, and the WAL grew without end: 1.3 GB in 38 s of writes,
   * and 171 MB in 30 s at 4,500 writes/s, over a table of 150 and 79 MB. So once it holds restartPages,
   * a second checkpoint copies what came meanwhile while the store's writes wait: their next one starts
   * the WAL over.
   */
  private async copy(): Promise<void> {
    const passive = () => this.worker.all<CheckpointResult>('PRAGMA wal_checkpoint(PASSIVE)', []);
    const [result] = await passive();
    if (result.log >= this.options.restartPages && !this.stopped) await this.options.whileWritesWait(passive);
  }
}
