import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Database from 'better-sqlite3';
import { openSqliteDatabase, WalSync } from '@lp/eventsourcing/sqlite';

// The module object itself (not an import's copy of it), so that a spy replaces what WalSync calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');

describe('WalSync', () => {
  let dir: string;
  let db: Database.Database;
  let held: (() => Promise<void>)[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
    db = openSqliteDatabase(join(dir, 'file.sqlite'), 'NORMAL');
    db.exec('CREATE TABLE t (n INTEGER)');
    held = [];
    // Each flush waits until the test lets it finish, as a slow disk would.
    jest.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: Error | null) => void) => {
      held.push(() => new Promise<void>((flushed) => fs.fsync(fd, (error) => (callback(error), flushed()))));
    }) as typeof fs.fdatasync);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Lets the oldest flush finish, then waits for the real flush and for what its callers run next
  // (a fixed sleep was too short for a real flush on a busy machine).
  const finishFlush = async () => {
    await held.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };

  it('answers a caller who came during a flush only after a flush that started after it', async () => {
    const wal = new WalSync(join(dir, 'file.sqlite'));
    const settled: string[] = [];
    const first = wal.sync().then(() => settled.push('first'));
    // Committed while the first flush runs, which may have started before: it needs the next one.
    db.prepare('INSERT INTO t VALUES (1)').run();
    const second = wal.sync().then(() => settled.push('second'));
    const third = wal.sync().then(() => settled.push('third'));
    expect(held).toHaveLength(1);

    await finishFlush();
    expect(settled).toEqual(['first']);
    expect(held).toHaveLength(1); // one more flush, shared by both later callers

    await finishFlush();
    await Promise.all([first, second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    await wal.close();
  });

  it('passes a failed flush on to its callers, and the next sync flushes again', async () => {
    jest.restoreAllMocks();
    const flush = jest.spyOn(fs, 'fdatasync').mockImplementationOnce(((_fd: number, callback: (error: Error | null) => void) =>
      callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))) as typeof fs.fdatasync);
    const wal = new WalSync(join(dir, 'file.sqlite'));
    await expect(wal.sync()).rejects.toThrow('EIO');
    await expect(wal.sync()).resolves.toBeUndefined();
    expect(flush).toHaveBeenCalledTimes(2);
    await wal.close();
  });
});
