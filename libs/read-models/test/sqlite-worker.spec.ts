import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SqliteWorker } from '../src/sqlite/sqlite-worker';

describe('SqliteWorker (the read store reads whole big tables and makes indexes over them in it)', () => {
  let dir: string;
  let filename: string;
  let worker: SqliteWorker;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lp-scan-worker-'));
    filename = join(dir, 'read.sqlite');
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, n INTEGER)');
    const insert = db.prepare('INSERT INTO docs VALUES (?, ?)');
    for (let n = 0; n < 100; n++) insert.run(`d${n}`, n);
    db.close();
    worker = new SqliteWorker(filename);
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

  it('writes when asked to, with its pragmas: an index made there is seen by other connections', async () => {
    const writer = new SqliteWorker(filename, { writable: true, pragmas: ['busy_timeout = 100', 'synchronous = FULL'] });
    try {
      await writer.exec('CREATE INDEX docs_n ON docs (n DESC)');
      await expect(writer.all('PRAGMA synchronous', [])).resolves.toEqual([{ synchronous: 2 }]);
      await expect(writer.all('PRAGMA busy_timeout', [])).resolves.toEqual([{ timeout: 100 }]);
    } finally {
      await writer.close();
    }
    const db = new Database(filename, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs' AND name = 'docs_n'").all()).toEqual([{ name: 'docs_n' }]);
    db.close();
  });

  it("tells how many rows a statement or a script changed, an FTS5 command's own writes counted", async () => {
    const writer = new SqliteWorker(filename, { writable: true });
    await expect(writer.run('UPDATE docs SET n = n + 1 WHERE n < ?', [10])).resolves.toBe(10);
    // 100 rows, and what FTS5 wrote into its own tables for them.
    expect(await writer.run('CREATE VIRTUAL TABLE words USING fts5(w); INSERT INTO words (w) SELECT id FROM docs')).toBeGreaterThan(100);
    // A merge step that finds work writes segments; one that finds none changes (almost) nothing.
    const merge = "INSERT INTO words (words, rank) VALUES ('merge', 200)";
    let steps = 0;
    while ((await writer.run(merge, [])) >= 2) steps++;
    expect(steps).toBeLessThan(50);
    await writer.close();
  });

  it('hands a failing script its error', async () => {
    const writer = new SqliteWorker(filename, { writable: true });
    try {
      await expect(writer.exec('CREATE INDEX broken ON missing (n)')).rejects.toThrow(/no such table: main.missing/);
    } finally {
      await writer.close();
    }
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
