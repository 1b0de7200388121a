import { closeSync, fdatasync, fsyncSync, openSync } from 'fs';
import { dirname } from 'path';

/**
 * Makes what a WAL-mode SQLite connection has committed so far durable with an fdatasync of its
 * `-wal` file in libuv's thread pool: what a FULL commit does (SQLite syncs the WAL, not the
 * database file, at a WAL commit), without the event loop waiting for the disk. For the periodic
 * syncs of files that commit with synchronous NORMAL (read models, the bus log), which blocked the
 * loop 4 ms at the median and up to 24 ms every 200 ms under the bench's load.
 *
 * `sync()` resolves once every commit made before the call is on disk; while one flush runs, later
 * callers share the next one. Linux flushes a file's data whichever descriptor asks, so our own
 * descriptor covers SQLite's writes. The WAL is reset in place after a checkpoint, never deleted
 * while a connection is open, and what a checkpoint moved into the database file SQLite syncs
 * itself. The directory is synced once, so that the WAL's name survives a power loss too.
 */
export class WalSync {
  private fd?: number;
  private running?: Promise<void>;
  private queued?: Promise<void>;

  constructor(private readonly databaseFile: string) {}

  sync(): Promise<void> {
    if (!this.running) return (this.running = this.flushThenRelease());
    // The running flush may have started before the caller's commit: one more follows it.
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = undefined;
      return (this.running = this.flushThenRelease());
    });
    return this.queued;
  }

  /** Waits for the flushes asked for so far, then closes the descriptor. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async flushThenRelease(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.running = undefined;
    }
  }

  private async flush(): Promise<void> {
    const fd = this.descriptor();
    await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  private descriptor(): number {
    if (this.fd === undefined) {
      this.fd = openSync(`${this.databaseFile}-wal`, 'r');
      const directory = openSync(dirname(this.databaseFile), 'r');
      try {
        fsyncSync(directory);
      } finally {
        closeSync(directory);
      }
    }
    return this.fd;
  }
}

/** A WalSync for a file database; undefined in memory, where there is nothing to flush. */
export function walSyncOf(filename: string): WalSync | undefined {
  return filename === ':memory:' || filename === '' ? undefined : new WalSync(filename);
}
