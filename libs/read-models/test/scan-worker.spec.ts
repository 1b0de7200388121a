import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ScanWorker } from '../src/sqlite/scan-worker';

describe('ScanWorker (the read store reads whole big tables in it)', () => {
  let dir: string;
  let filename: string;
  let worker: ScanWorker;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lp-scan-worker-'));
    filename = join(dir, 'read.sqlite');
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, n INTEGER)');
    const insert = db.prepare('INSERT INTO docs VALUES (?, ?)');
    for (let n = 0; n < 100; n++) insert.run(`d${n}`, n);
    db.close();
    worker = new ScanWorker(filename);
  });

  afterEach(async () => {
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a statement with its rows, placeholders bound', async () => {
    await expect(worker.all('SELECT COUNT(*) AS n FROM docs WHERE n >= ?', [90])).resolves.toEqual([{ n: 10 }]);
  });

  it('hands a failing statement its error, and answers the next one', async () => {
    await expect(worker.all('SELECT * FROM missing', [])).rejects.toThrow(/no such table: missing/);
    await expect(worker.all('SELECT id FROM docs WHERE n = ?', [7])).resolves.toEqual([{ id: 'd7' }]);
  });

  it('reads only: a write is refused and changes nothing', async () => {
    await expect(worker.all('DELETE FROM docs RETURNING id', [])).rejects.toThrow(/readonly/);
    await expect(worker.all('SELECT COUNT(*) AS n FROM docs', [])).resolves.toEqual([{ n: 100 }]);
  });

  it('a read still running when the store closes fails instead of waiting for ever', async () => {
    // A recursive count long enough to be running when close() comes.
    const long = worker.all('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) SELECT COUNT(*) AS n FROM c', []);
    const failed = expect(long).rejects.toThrow(/closed/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker.close();
    await failed;
  });
});
