import { randomUUID } from 'crypto';
import { rmSync } from 'fs';
import { join } from 'path';
import { openSqliteDatabase, SqliteSynchronous } from '@lp/eventsourcing/sqlite';
import { benchEvent } from './bench-event';
import { summarize } from './stats';

export interface RawCommitResult {
  synchronous: SqliteSynchronous;
  commits: number;
  /** Wall µs per commit (mean, p50, p99): mostly the fsync of the WAL with FULL. */
  wallUsPerCommit: number;
  p50Us: number;
  p99Us: number;
  /** CPU µs of this process per commit. */
  cpuUsPerCommit: number;
}

/**
 * The limit of the server's commits: raw better-sqlite3, a file in `dir` (put it beside the server's
 * DATA_DIR: same disk), opened with the same pragmas as the event stores (WAL, `synchronous`), and
 * `commits` transactions of one row each (an event's JSON, ~600 bytes), one after another.
 */
export function rawCommits(dir: string, synchronous: SqliteSynchronous, commits: number): RawCommitResult {
  const filename = join(dir, `raw-better-sqlite3-${randomUUID()}.sqlite`);
  const db = openSqliteDatabase(filename, synchronous);
  try {
    db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO events (stream_id, data) VALUES (?, ?)');
    const commitOne = db.transaction((streamId: string, data: string) => insert.run(streamId, data));
    // Built before the clock starts: only the commits are timed.
    const rows = Array.from({ length: commits }, (_, n) => JSON.stringify(benchEvent('BenchOrderLineAdded', `benchorder-${n}`, n, randomUUID())));
    const samples = new Array<number>(commits);
    const cpuStart = process.cpuUsage();
    for (let n = 0; n < commits; n++) {
      const started = performance.now();
      commitOne(`benchorder-${n}`, rows[n]);
      samples[n] = (performance.now() - started) * 1000;
    }
    const cpu = process.cpuUsage(cpuStart);
    const s = summarize(samples);
    return { synchronous, commits, wallUsPerCommit: s.mean, p50Us: s.p50, p99Us: s.p99, cpuUsPerCommit: (cpu.user + cpu.system) / commits };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(filename + suffix, { force: true });
  }
}
