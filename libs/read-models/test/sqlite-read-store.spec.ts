import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Database from 'better-sqlite3';
import { Query } from 'mingo';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { anEnvelope, anEvent, until } from '@lp/testing';
import { EventEnvelope, RecordedEvent } from '@lp/eventsourcing';
import { BusProjectionConsumer } from '../src/bus-projection-consumer';
import { defineProjection, ensureProjectionIndexes, Projection } from '../src/projection';
import { ProjectionRunner } from '../src/projection-runner';
import { versionedName } from '../src/versioned-read-store';
import { InMemoryEventStore } from './support/in-memory-event-store';
import { textSearch } from '../src/list-query';
import { sourceOf } from '../src/source-version';
import { SqliteReadStore } from '../src/sqlite/sqlite-read-store';
import { InMemoryReadStore } from '../src/in-memory/in-memory-read-store';
import { Filter, ReadDocument, Sort } from '../src/read-store';
import { readStoreContract } from './read-store.contract';

readStoreContract(
  'SqliteReadStore',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-sqlite-read-store-'));
    const filename = join(dir, 'read-models.sqlite');
    return {
      store: SqliteReadStore.open({ filename }),
      reopen: async () => SqliteReadStore.open({ filename }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { durable: true },
);

describe('SqliteReadStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lp-sqlite-read-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  type Row = ReadDocument & Record<string, unknown>;

  /** What `read` finds in the file on a read-only connection of its own: what another process would see. */
  const seenByAnotherConnection = <T>(filename: string, read: (db: Database.Database) => T): T => {
    const db = new Database(filename, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };

  /** The key columns of a collection's table (`key:…`, `key~filling:…`), as another connection sees them. */
  const keyColumnsIn = (filename: string, collection: string, path = ''): string[] =>
    seenByAnotherConnection(filename, (db) => db.prepare<[string, string], string>("SELECT name FROM pragma_table_info(?) WHERE name LIKE 'key%' AND name LIKE ?").pluck().all(`docs:${collection}`, `%${path}`));

  /**
   * The SQL of the statements this thread runs during `work` (the workers' run in threads of their
   * own): prepared ones, and with `scripts` what `exec` runs too; `when` picks the moments that count.
   */
  const statementsRunDuring = async (work: () => Promise<unknown>, { scripts = false, when = (): boolean => true } = {}): Promise<string[]> => {
    type Run = (this: { source: string }, ...params: unknown[]) => unknown;
    const probe = new Database(':memory:');
    const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'all' | 'get' | 'run' | 'iterate', Run>;
    const Connection = Object.getPrototypeOf(probe) as { exec: (this: unknown, sql: string) => unknown };
    probe.close();
    const methods = ['all', 'get', 'run', 'iterate'] as const;
    const original = Object.fromEntries(methods.map((method) => [method, Statement[method]])) as Record<(typeof methods)[number], Run>;
    const { exec } = Connection;
    const run: string[] = [];
    for (const method of methods) {
      Statement[method] = function (...params) {
        if (when()) run.push(this.source);
        return original[method].apply(this, params);
      };
    }
    if (scripts) {
      Connection.exec = function (sql) {
        if (when()) run.push(sql);
        return exec.call(this, sql);
      };
    }
    try {
      await work();
    } finally {
      Object.assign(Statement, original);
      Connection.exec = exec;
    }
    return run;
  };

  /** Sets every total the file saved to `total`, where the store keeps it: what a count would say no longer matters. */
  const plantSavedTotals = (filename: string, total: number) => {
    const db = new Database(filename);
    try {
      db.prepare('UPDATE read_counts SET total = ?').run(total);
    } finally {
      db.close();
    }
  };

  it("commits a version's writes at the flush() of its view, as a bus projection's rebuild asks before the bus saves its offset", async () => {
    const filename = join(dir, 'r.sqlite');
    // Nothing commits on its own meanwhile: only the flush does.
    const store = SqliteReadStore.open({ filename, commitDelayMs: 60_000, maxWritesPerCommit: 1_000 });
    const other = new Database(filename, { readonly: true });
    try {
      const next = store.atVersion('rows-projection', ['rows'], 1);
      await next.collection<Row>('rows').apply('r1', { streamId: 'row-r1', revision: 0 }, () => ({ id: 'r1' }));
      const table = `docs:${versionedName('rows', 1)}`;
      // The table itself is made in the write not committed yet.
      const committed = () => (other.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(table) ? other.prepare(`SELECT id FROM "${table}"`).all() : []);
      expect(committed()).toEqual([]);
      await next.flush!();
      expect(committed()).toEqual([{ id: 'r1' }]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('sync() commits what is pending and answers once the file is flushed, without the event loop waiting for the disk', async () => {
    let release!: () => void;
    const fs: typeof import('fs') = jest.requireActual('fs');
    const flush = jest.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, callback: (error: Error | null) => void) => {
      release = () => fs.fsync(fd, callback);
    }) as typeof fs.fdatasync);
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    try {
      await store.collection<Row>('rows').apply('r1', { streamId: 'row-r1', revision: 0 }, () => ({ id: 'r1' }));
      let synced = false;
      const sync = store.sync().then(() => (synced = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(flush).toHaveBeenCalledTimes(1);
      expect(synced).toBe(false);
      // Already committed: another connection reads it while the flush runs.
      const other = new Database(filename, { readonly: true });
      expect(other.prepare('SELECT count(*) AS n FROM "docs:rows"').get()).toEqual({ n: 1 });
      other.close();
      release();
      await sync;
      expect(synced).toBe(true);
    } finally {
      flush.mockRestore();
      await store.close();
    }
  });

  /** Where a statement that reads a whole table runs: here at once (tables under 20,000 rows), or in the scan worker. */
  const readWays = [
    ['read at once', {}],
    ['whole-table reads in the scan worker', { offThreadRows: 0 }],
  ] as const;

  it.each(readWays)('answers every filter shape as mingo does, with indexes, fallbacks and mixed field types (%s)', async (_way, reads) => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite'), ...reads });
    const rows = Array.from({ length: 120 }, (_, i): Row => ({
      id: `r${String(i).padStart(3, '0')}`,
      status: ['APPLIED', 'PLACED', 'DELETED'][i % 3],
      amount: (i * 37) % 11,
      orderDate: `2026-0${(i % 9) + 1}-1${i % 10}`,
      subject: ['Office 365 E3', 'ｏｆｆｉｃｅ 追加', '年間 Microsoft 契約', 'Azure 100% plan_a'][i % 4],
      ...(i % 5 === 0 ? {} : { note: i % 7 === 0 ? null : `n${i % 7}` }),
      mixed: i % 4 === 0 ? 5 : i % 4 === 1 ? '5' : i % 4 === 2 ? true : null,
      tags: i % 6 === 0 ? ['a', 'b'] : 'a',
      // A nested field that is sometimes an array: its kinds are learnt below the top level too.
      nested: { reseller: i % 2 ? 'r-direct' : 'r-indirect', codes: i % 6 === 0 ? ['c1', 'c2'] : 'c1' },
    }));
    const collection = store.collection<Row>('rows');
    await store.ensureIndexes('rows', [{ status: 1, orderDate: -1 }, { orderDate: -1 }]);
    for (const row of rows) await collection.apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);

    const filters: Array<Record<string, unknown>> = [
      {},
      { status: 'PLACED' },
      { status: { $ne: 'DELETED' }, 'nested.reseller': 'r-direct' },
      { 'nested.codes': 'c2' },
      { 'nested.codes': { $in: ['c2', 'x'] } },
      { note: null },
      { note: { $ne: null } },
      { note: { $exists: false } },
      { note: { $in: ['n1', null] } },
      { note: { $nin: ['n1', null] } },
      { amount: { $gte: 3, $lt: 8 } },
      { amount: 3 },
      { orderDate: { $gte: '2026-03-01', $lte: '2026-06-15' } },
      { mixed: 5 },
      { mixed: '5' },
      { mixed: true },
      { mixed: { $gte: 1 } },
      { mixed: { $gte: '' } },
      { tags: 'b' },
      { tags: { $ne: 'b' } },
      { subject: { $regex: 'OFFICE', $options: 'i' } },
      { subject: { $regex: 'ｏｆｆｉｃｅ', $options: 'i' } },
      { subject: { $regex: 'ＯＦＦＩＣＥ', $options: 'i' } },
      { subject: { $regex: '年間', $options: 'i' } },
      { subject: { $regex: '100% plan_', $options: 'i' } },
      { subject: { $regex: 'office' } },
      { subject: { $regex: '^Office \\d+' } },
      { $or: [{ subject: { $regex: 'azure', $options: 'i' } }, { status: 'APPLIED' }], amount: { $ne: 0 } },
      { $and: [{ status: { $ne: 'APPLIED' } }, { orderDate: { $lt: '2026-05-01' } }] },
      { nested: { reseller: 'r-direct' } },
      { $nor: [{ status: 'PLACED' }] },
      { id: { $in: ['r001', 'r050', 'nope'] } },
    ];
    for (const filter of filters) {
      for (const sort of [{ orderDate: -1 }, { status: 1, orderDate: -1 }, { mixed: 1 }, { tags: -1 }] as Sort[]) {
        const expected = rows.filter((row) => new Query(filter).test(row));
        const page = await collection.find({ filter, sort, skip: 3, limit: 7 });
        expect({ filter, sort, total: page.total }).toEqual({ filter, sort, total: expected.length });
        const all = await collection.find({ filter, sort });
        expect(all.items.map((row) => row.id).sort()).toEqual(expected.map((row) => row.id).sort());
        expect(page.items).toEqual(all.items.slice(3, 10));
      }
    }
    await store.close();
  });

  it.each(readWays)('keeps the totals of filters it counted exact while documents change (%s)', async (_way, reads) => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite'), ...reads });
    const collection = store.collection<Row>('rows');
    const write = (i: number, revision: number, fields: Record<string, unknown>) =>
      collection.apply(`r${i}`, { streamId: `row-${i}`, revision }, (current) => ({ ...current, id: `r${i}`, ...fields }));
    for (let i = 0; i < 50; i++) await write(i, 0, { status: ['A', 'B', 'DELETED'][i % 3], reseller: `s${i % 2}` });
    const filters = [{ status: { $ne: 'DELETED' } }, { reseller: 's1', status: { $in: ['A', 'B'] } }, { status: 'A' }];
    const expected = async (filter: Record<string, unknown>) => (await collection.find({ filter })).items.length;
    const paged = async (filter: Record<string, unknown>) => (await collection.find({ filter, limit: 2 })).total;
    for (const filter of filters) expect(await paged(filter)).toBe(await expected(filter));

    for (let i = 0; i < 60; i += 3) await write(i, 1, { status: ['B', 'DELETED', 'A'][i % 4 % 3] });
    for (let i = 1; i < 60; i += 4) await write(i, 2, { reseller: 's1', status: 'A' });
    await store.reset('p', []);
    for (const filter of filters) expect(await paged(filter)).toBe(await expected(filter));
    await store.reset('p', ['rows']);
    await write(1, 0, { status: 'A', reseller: 's1' });
    for (const filter of filters) expect(await paged(filter)).toBe(await expected(filter));
    await store.close();
  });

  it('copies its WAL into the file on a connection of its own, soon after a commit, not in its commits', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, checkpointIntervalMs: 20 });
    try {
      const before = statSync(filename).size;
      const rows = store.collection<Row>('rows');
      // ~4 MB of pages, under what a commit of this connection checkpointed at (10,000 pages): only the
      // checkpointer brings them into the file before close().
      for (let i = 0; i < 2_000; i++) await rows.apply(`r${i}`, { streamId: `s${i}`, revision: 0 }, () => ({ id: `r${i}`, text: 'x'.repeat(2_000) }));
      await store.flush();
      await until(() => statSync(filename).size > before + 3_000_000);
      expect(await rows.get('r1999')).toMatchObject({ id: 'r1999' });
    } finally {
      await store.close();
    }
  });

  it('copies its WAL into the file in its commits while a loop of writes never lets the event loop turn', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, checkpointIntervalMs: 1, maxWritesPerCommit: 100 });
    try {
      const before = statSync(filename).size;
      const rows = store.collection<Row>('rows');
      // Each await is a promise already settled: the checkpointer's timer cannot fire until the loop ends.
      for (let i = 0; i < 2_000; i++) await rows.apply(`r${i}`, { streamId: `s${i}`, revision: 0 }, () => ({ id: `r${i}`, text: 'x'.repeat(2_000) }));
      expect(statSync(filename).size).toBeGreaterThan(before + 3_000_000);
    } finally {
      await store.close();
    }
  });

  it('has its WAL start over while writes never stop, instead of growing it', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, commitDelayMs: 1, checkpointIntervalMs: 5, checkpointRestartPages: 200 });
    try {
      const rows = store.collection<Row>('rows');
      const walSize = () => statSync(`${filename}-wal`).size;
      // ~50 MB of pages written over 100 rows, a few per turn of the event loop, as a catch-up writes.
      // Measured from the 5,000th write on: until the checkpointer's worker thread has started (up to
      // ~2,000 writes here, longer on a busy machine) the WAL grows as any would; it must not after.
      let sizeOnceStarted = 0;
      for (let i = 0; i < 15_000; i++) {
        const id = `r${i % 100}`;
        await rows.apply(id, { streamId: `s${i}`, revision: 0 }, () => ({ id, text: `${i}`.repeat(500).slice(0, 2_000) }));
        if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (i === 5_000) sizeOnceStarted = walSize();
      }
      expect(walSize() - sizeOnceStarted).toBeLessThan(8_000_000);
      expect(await rows.get('r99')).toMatchObject({ text: expect.stringMatching(/^14999/) });
    } finally {
      await store.close();
    }
  });

  it("drops a replaced version's big table off the event loop once the new one is promoted", async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, offThreadRows: 0 });
    const tablesIn = () => seenByAnotherConnection(filename, (db) => db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs:%'").pluck().all());
    try {
      for (let i = 0; i < 100; i++) await store.collection<Row>('rows').apply(`r${i}`, { streamId: `s${i}`, revision: 0 }, () => ({ id: `r${i}` }));
      await store.atVersion('p', ['rows'], 1).collection<Row>('rows').apply('n1', { streamId: 'n', revision: 0 }, () => ({ id: 'n1' }));
      const run = await statementsRunDuring(() => store.promote('p', ['rows'], 1), { scripts: true });
      expect(run.filter((sql) => /DROP TABLE/i.test(sql) && sql.includes('"docs:rows"'))).toEqual([]);
      expect(tablesIn()).toEqual([versionedName('docs:rows', 1)]);
      expect(await store.collection<Row>('rows').find({})).toEqual({ items: [{ id: 'n1' }], total: 1 });
    } finally {
      await store.close();
    }
  });

  /** The rows of collection `rows` at version 1, as another connection sees them (what the worker deleted is committed). */
  const rowsOfVersion1 = (filename: string) => seenByAnotherConnection(filename, (db) => db.prepare(`SELECT count(*) FROM "${versionedName('docs:rows', 1)}"`).pluck().get());

  it("deletes the rows an interrupted rebuild left off the event loop when the rebuild starts over", async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, offThreadRows: 0 });
    try {
      const interrupted = store.atVersion('p', ['rows'], 1);
      await interrupted.ensureTextIndex!('rows', ['text']);
      for (let i = 0; i < 100; i++) await interrupted.collection<Row>('rows').apply(`r${i}`, { streamId: `s${i}`, revision: 0 }, () => ({ id: `r${i}`, text: 'kept' }));
      await interrupted.saveCheckpoint('p', 100);
      expect((await interrupted.collection<Row>('rows').find({ filter: { text: { $regex: 'kept' } }, limit: 1 })).total).toBe(100);
      const startedOver = store.atVersion('p', ['rows'], 1);
      const run = await statementsRunDuring(() => startedOver.reset('p', ['rows']), { scripts: true });
      expect(run.filter((sql) => /DELETE FROM/i.test(sql) && sql.includes('"docs:rows'))).toEqual([]);
      expect(rowsOfVersion1(filename)).toBe(0);
      expect(await startedOver.loadCheckpoint('p')).toBeUndefined();
      expect(await startedOver.collection<Row>('rows').find({ filter: { text: { $regex: 'kept' } } })).toEqual({ items: [], total: 0 });
      expect(await startedOver.collection<Row>('rows').find({})).toEqual({ items: [], total: 0 });
    } finally {
      await store.close();
    }
  });

  it("lets the store's other writes go between the ranges of rows a rebuild starting over deletes", async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, offThreadRows: 0 });
    let resetting: Promise<void> | undefined;
    try {
      const interrupted = store.atVersion('p', ['rows'], 1);
      // More than one range (5,000 rows per statement).
      for (let i = 0; i < 6_000; i++) await interrupted.collection<Row>('rows').apply(`r${i}`, { streamId: `s${i}`, revision: 0 }, () => ({ id: `r${i}` }));
      await store.flush();
      resetting = store.atVersion('p', ['rows'], 1).reset('p', ['rows']);
      // Looked at every turn: a range takes a few milliseconds on a fast machine.
      while (store.writeTurn() === undefined) await new Promise((resolve) => setImmediate(resolve));
      // A live projection's write, while the worker deletes the first range.
      await store.collection<Row>('other').apply('o1', { streamId: 'o', revision: 0 }, () => ({ id: 'o1' }));
      expect(rowsOfVersion1(filename)).toBeGreaterThan(0);
      await resetting;
      expect(rowsOfVersion1(filename)).toBe(0);
    } finally {
      await resetting?.catch(() => undefined);
      await store.close();
    }
  });

  describe('a search no index serves, over a big table (the scan worker)', () => {
    const shortSearch = { subject: { $regex: 'ab', $options: 'i' } };
    const filled = async (options: { offThreadRows: number; commitDelayMs?: number }) => {
      const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite'), ...options });
      const collection = store.collection<Row>('rows');
      await store.ensureIndexes('rows', [{ orderDate: -1 }, { reseller: 1 }]);
      for (let i = 0; i < 300; i++) {
        const row = { id: `r${i}`, reseller: i % 10 ? 's1' : 's2', orderDate: `2026-01-${10 + (i % 20)}`, subject: i % 7 ? 'Azure' : 'Abc plan' };
        await collection.apply(row.id, { streamId: `row-${i}`, revision: 0 }, () => row);
      }
      return { store, collection };
    };

    // Over every row in sort order (a SCAN), and within one reseller (its index narrows the rows: a SEARCH).
    it.each([
      ['every reseller', shortSearch, 43],
      ['one reseller', { reseller: 's1', ...shortSearch }, 38],
    ])('is read while timers and requests run, and answers as a read at once does (%s)', async (_scope, filter, total) => {
      const answers = [];
      for (const offThreadRows of [Infinity, 0]) {
        const { store, collection } = await filled({ offThreadRows });
        let timerRan = false;
        setImmediate(() => (timerRan = true));
        const page = await collection.find({ filter, sort: { orderDate: -1 }, skip: 5, limit: 10 });
        answers.push({ timerRan, page });
        await store.close();
        rmSync(join(dir, 'r.sqlite'));
      }
      const [atOnce, inWorker] = answers;
      expect(atOnce.timerRan).toBe(false);
      expect(inWorker.timerRan).toBe(true);
      expect(inWorker.page).toEqual(atOnce.page);
      expect(inWorker.page.total).toBe(total);
    });

    it('does not keep a total counted while documents changed: the next ask counts again', async () => {
      // Writes stay uncommitted for a second: the worker, which reads committed rows, cannot see the one below.
      const { store, collection } = await filled({ offThreadRows: 0, commitDelayMs: 1000 });
      const counting = collection.find({ filter: shortSearch, limit: 0 });
      await collection.apply('r-new', { streamId: 'row-new', revision: 0 }, () => ({ id: 'r-new', orderDate: '2026-02-01', subject: 'Abc new' }));
      expect((await counting).total).toBe(43);
      expect((await collection.find({ filter: shortSearch, limit: 0 })).total).toBe(44);
      await collection.apply('r-other', { streamId: 'row-other', revision: 0 }, () => ({ id: 'r-other', orderDate: '2026-02-01', subject: 'Abc other' }));
      expect((await collection.find({ filter: shortSearch, limit: 0 })).total).toBe(45);
      await store.close();
    });
  });

  it('pages a filter whose index is not in sort order as a full sort does (rows read in sort order first, then the planner)', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('rows', [{ reseller: 1, status: 1, day: -1 }, { day: -1 }]);
    for (let i = 0; i < 3000; i++) {
      const row = { id: `r${(i * 7919) % 3000}`, reseller: `s${i % 7 === 0 ? 1 : i % 500 === 3 ? 2 : 0}`, status: ['A', 'B', 'X'][i % 3], day: `2026-05-${String(i % 28).padStart(2, '0')}` };
      for (const target of [store, memory]) await target.collection<Row>('rows').apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    }
    for (const reseller of ['s1', 's2']) {
      for (const [skip, limit] of [[0, 30], [60, 30], [300, 30], [0, 1000]]) {
        const options = { filter: { reseller, status: { $ne: 'X' } }, sort: { day: -1 as const }, skip, limit };
        expect(await store.collection<Row>('rows').find(options)).toEqual(await memory.collection<Row>('rows').find(options));
      }
    }
    await store.close();
  });

  it("asks the planner at once for a filter whose kept total says rows read in sort order would hold too few of its matches (one customer's)", async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('rows', [{ reseller: 1, customer: 1, day: -1 }, { day: -1 }]);
    // 12 rows per customer: one in 250, where a page of 10 would want one in 200 of the rows read in sort order.
    for (let i = 0; i < 3000; i++) {
      const row = { id: `r${i}`, reseller: `s${i % 20}`, customer: `c${i % 250}`, day: `2026-05-${String(1 + (i % 28)).padStart(2, '0')}` };
      for (const target of [store, memory]) await target.collection<Row>('rows').apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    }
    // Committed and analyzed: the planner reads the customer's rows from the reseller + customer index, then sorts them.
    await store.flush!();
    const options = { filter: { customer: 'c7' }, sort: { day: -1 as const }, limit: 10 };
    const expected = await memory.collection<Row>('rows').find(options);
    // The first ask counts the total (12), which is kept.
    expect(await store.collection<Row>('rows').find(options)).toEqual(expected);
    const run = await statementsRunDuring(async () => expect(await store.collection<Row>('rows').find(options)).toEqual(expected));
    // One read of rows: the planner's; none in sort order first.
    expect(run.filter((sql) => sql.includes('json(doc)'))).toEqual([expect.stringMatching(/^SELECT json\(doc\) AS doc FROM "docs:rows" WHERE/)]);
    await store.close();
  });

  it("counts a search's matches in the scan worker when the table is big, not on the event loop", async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite'), offThreadRows: 0 });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('rows', [{ day: -1 }]);
    await store.ensureTextIndex('rows', ['subject']);
    for (let i = 0; i < 300; i++) {
      const row = { id: `r${i}`, day: `2026-05-${String(1 + (i % 28)).padStart(2, '0')}`, subject: `${i % 3 ? 'Azure' : 'Office'} #${i}` };
      for (const target of [store, memory]) await target.collection<Row>('rows').apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    }
    const options = { filter: textSearch('office', ['subject']), sort: { day: -1 as const }, limit: 30 };
    const expected = await memory.collection<Row>('rows').find(options);
    const run = await statementsRunDuring(async () => expect(await store.collection<Row>('rows').find(options)).toEqual(expected));
    expect(expected.total).toBe(100);
    expect(run.filter((sql) => sql.startsWith('SELECT COUNT(*) AS n FROM "text:rows"'))).toEqual([]);
    await store.close();
  });

  it('pages a common word (more matches than the text index looks up) and a rare one as a full sort does', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('rows', [{ day: -1 }]);
    await store.ensureTextIndex('rows', ['subject']);
    for (let i = 0; i < 3000; i++) {
      const row = { id: `r${(i * 7919) % 3000}`, day: `2026-05-${String(i % 28).padStart(2, '0')}`, subject: `${i % 3 ? 'Azure' : 'Office'} #${i}` };
      for (const target of [store, memory]) await target.collection<Row>('rows').apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    }
    for (const q of ['azure', 'OFFICE', '#123']) {
      for (const [skip, limit] of [[0, 30], [1200, 30], [0, 1]]) {
        const options = { filter: { status: { $ne: 'X' }, ...textSearch(q, ['subject']) }, sort: { day: -1 as const }, skip, limit };
        expect(await store.collection<Row>('rows').find(options)).toEqual(await memory.collection<Row>('rows').find(options));
      }
    }
    await store.close();
  });

  it('sorts with indexes as a full sort does, ties broken by id', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const collection = store.collection<Row>('rows');
    await store.ensureIndexes('rows', [{ day: -1, at: -1 }]);
    const rows = Array.from({ length: 300 }, (_, i): Row => ({ id: `r${(i * 7919) % 1000}`, day: `2026-05-0${i % 3}`, ...(i % 4 ? { at: i % 5 } : {}) }));
    for (const row of rows) await collection.apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    const { items } = await collection.find({ sort: { day: -1, at: -1 } });
    const key = (row: Row) => [row.day, row.at ?? -Infinity, row.id] as [string, number, string];
    const expected = [...rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] !== y[0] ? (x[0] < y[0] ? 1 : -1) : x[1] !== y[1] ? y[1] - x[1] : x[2] < y[2] ? -1 : 1;
    });
    expect(items.map((row) => row.id)).toEqual(expected.map((row) => row.id));
    await store.close();
  });

  it('serves list pages from the indexes it creates', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    await store.ensureIndexes('orders', [{ resellerId: 1, status: 1, orderDate: -1 }, { orderDate: -1 }]);
    await store.collection<Row>('orders').apply('o1', { streamId: 'order-o1', revision: 0 }, () => ({ id: 'o1', resellerId: 'r', status: 'A', orderDate: 'x' }));
    await store.close();
    const db = new Database(filename, { readonly: true });
    const plan = (sql: string) => db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => row.detail).join('; ');
    expect(plan(`SELECT doc FROM "docs:orders" WHERE "key:resellerId" = 'r' AND "key:status" = 'A' ORDER BY "key:orderDate" DESC, id ASC LIMIT 30`)).toMatch(
      /USING INDEX "?keys:orders:resellerId\+,status\+,orderDate-,id\+"?/,
    );
    expect(plan(`SELECT doc FROM "docs:orders" ORDER BY "key:orderDate" DESC, id ASC LIMIT 30`)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  describe('indexes made over a big table (in a worker, on a connection of its own)', () => {
    const ROWS = 30_000;
    const indexes: Sort[] = [{ resellerId: 1, status: 1, orderDate: -1 }, { orderDate: -1 }, { status: 1, amount: -1 }];

    const rowsOf = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: `o${String(i).padStart(6, '0')}`, resellerId: `r${i % 7}`, status: ['A', 'B', 'C'][i % 3], orderDate: `2026-${i % 1000}`, amount: i % 113, priority: i % 17 }));

    /** The statements that wrote on the store's connection during `work` while a worker was making an index. */
    async function writesWhileMakingIndexes(store: SqliteReadStore, work: () => Promise<void>): Promise<string[]> {
      const run = await statementsRunDuring(work, { scripts: true, when: () => store.writeTurn() !== undefined });
      return run.filter((sql) => !/^\s*(BEGIN|COMMIT|SELECT|PRAGMA|EXPLAIN)/i.test(sql));
    }

    /** How many sort indexes (`keys:…`) the file holds for a collection, as another connection sees it. */
    function sortIndexesIn(filename: string, collection: string): number {
      return seenByAnotherConnection(filename, (db) => db.prepare<[string], number>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE ?").pluck().get(`keys:${collection}:%`)!);
    }

    /** Closes the store once a worker runs a statement of `making`, which then fails as cut short. */
    async function closeWhileMaking(store: SqliteReadStore, making: Promise<void>): Promise<void> {
      while (store.writeTurn() === undefined) await new Promise((resolve) => setImmediate(resolve));
      const stopped = expect(making).rejects.toThrow(/closed while it worked through a whole table/);
      await store.close();
      await stopped;
    }

    /** A store whose tables count as big from the first row, holding ROWS orders before any index (their key columns prepared, as a first fill's). */
    async function bigTable(filename: string) {
      const store = SqliteReadStore.open({ filename, offThreadRows: 0 });
      await store.prepareIndexes('orders', indexes);
      const orders = store.collection<Row>('orders');
      for (const row of rowsOf(ROWS)) await orders.apply(row.id, { streamId: `order-${row.id}`, revision: 0 }, () => row);
      await store.flush();
      return { store, orders };
    }

    it('keeps answering reads while it makes them, instead of holding the event loop until they are made', async () => {
      const { store, orders } = await bigTable(join(dir, 'r.sqlite'));
      let made = false;
      const making = store.ensureIndexes('orders', indexes).then(() => (made = true));
      let answered = 0;
      while (!made) {
        expect((await orders.get('o000007'))?.status).toBe('B');
        answered++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await making;
      // Made on the event loop's thread (the code before), the three indexes let 2 reads through.
      expect(answered).toBeGreaterThan(20);
      // The list answers as a full sort of the rows would.
      const expected = rowsOf(ROWS)
        .filter((order) => order.resellerId === 'r3' && order.status === 'A')
        .sort((a, b) => b.orderDate.localeCompare(a.orderDate) || a.id.localeCompare(b.id))
        .slice(0, 3);
      const page = await orders.find({ filter: { resellerId: 'r3', status: 'A' }, sort: { orderDate: -1 }, limit: 3 });
      expect(page.items).toEqual(expected);
      await store.close();
    });

    it('lets writes made meanwhile wait for their turn: none fails, each lands in order before its checkpoint, and the indexes are made', async () => {
      const filename = join(dir, 'r.sqlite');
      const { store, orders } = await bigTable(filename);
      // A rebuild of another projection, its writes held in memory until read (HeldFill).
      const rebuilding = store.atVersion('customers', ['customers'], 1, { holdWrites: true });
      await rebuilding.collection<Row>('customers').apply('c1', { streamId: 'customer-c1', revision: 0 }, () => ({ id: 'c1', name: 'Aoi' }));
      await rebuilding.saveCheckpoint('customers', 1);
      const whileMaking = await writesWhileMakingIndexes(store, async () => {
        const making = store.ensureIndexes('orders', indexes);
        // The writes come once the worker has begun the first index.
        while (store.writeTurn() === undefined) await new Promise((resolve) => setImmediate(resolve));
        const writes = Array.from({ length: 50 }, (_, i) =>
          orders.apply(`n${i}`, { streamId: `order-n${i}`, revision: 0 }, () => ({ id: `n${i}`, resellerId: 'r1', status: 'A', orderDate: '2027-01', amount: i })),
        );
        const checkpointed = Promise.all(writes).then(() => store.saveCheckpoint('orders', 50));
        const changed = orders.apply('o000001', { streamId: 'order-o000001', revision: 1 }, (order) => ({ ...order!, status: 'C' }));
        // A read of the version being rebuilt writes what it holds first.
        const rebuilt = rebuilding.collection<Row>('customers').find({});
        await Promise.all([making, checkpointed, changed, rebuilt, ...writes]);
        expect((await rebuilt).items).toEqual([{ id: 'c1', name: 'Aoi' }]);
      });
      await store.close();
      // A write here while the worker holds the file's write lock would wait for it, the event loop with it.
      expect(whileMaking).toEqual([]);

      const reopened = SqliteReadStore.open({ filename });
      const again = reopened.collection<Row>('orders');
      expect(await reopened.loadCheckpoint('orders')).toBe(50);
      expect(await reopened.atVersion('customers', ['customers'], 1).loadCheckpoint('customers')).toBe(1);
      expect((await again.find({ filter: { orderDate: '2027-01' }, limit: 0 })).total).toBe(50);
      expect((await again.find({ filter: { status: 'C' }, sort: { amount: -1 }, limit: 0 })).total).toBe(ROWS / 3 + 1);
      await reopened.close();
      const db = new Database(filename, { readonly: true });
      const made = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'keys:orders:%' ORDER BY name").all();
      expect(made.map((index) => index.name)).toEqual(['keys:orders:orderDate-,id+', 'keys:orders:resellerId+,status+,orderDate-,id+', 'keys:orders:status+,amount-,id+']);
      db.close();
    });

    it('opens collections no one has written or read yet while it makes them, and writes nothing meanwhile', async () => {
      const { store } = await bigTable(join(dir, 'r.sqlite'));
      const rebuilding = store.atVersion('invoices', ['invoices'], 1, { holdWrites: true });
      const whileMaking = await writesWhileMakingIndexes(store, async () => {
        const making = store.ensureIndexes('orders', indexes);
        while (store.writeTurn() === undefined) await new Promise((resolve) => setImmediate(resolve));
        // Each opens its collection's table for the first time, which creates it.
        expect(await store.collection<Row>('customers').get('c1')).toBeUndefined();
        expect(await store.collection<Row>('contracts').find({ sort: { id: 1 } })).toEqual({ items: [], total: 0 });
        expect(await rebuilding.collection<Row>('invoices').apply('i1', { streamId: 'invoice-i1', revision: 0 }, () => ({ id: 'i1', amount: 1 }))).toBe(true);
        await making;
      });
      expect(whileMaking).toEqual([]);
      expect((await rebuilding.collection<Row>('invoices').find({})).items).toEqual([{ id: 'i1', amount: 1 }]);
      await store.close();
    });

    it('begins each index a whole turn of the event loop after the last: a write that waited still has its turn some promise hops later', async () => {
      const { store } = await bigTable(join(dir, 'r.sqlite'));
      const making = store.ensureIndexes('orders', indexes);
      while (store.writeTurn() === undefined) await new Promise((resolve) => setImmediate(resolve));
      // A write path some async calls deep: it waits for its turn, and writes a few hops later.
      await store.writeTurn();
      for (let hop = 0; hop < 10; hop++) await null;
      // The second index is not begun yet: a write now would not wait for the worker's lock.
      expect(store.writeTurn()).toBeUndefined();
      await making;
      await store.close();
      expect(sortIndexesIn(join(dir, 'r.sqlite'), 'orders')).toBe(3);
    });

    describe('a field declared over the rows already there (a new release sorts by it)', () => {
      const declared: Sort[] = [...indexes, { priority: -1 }];
      const byPriority = (rows: Row[]) => [...rows].sort((a, b) => (b.priority as number) - (a.priority as number) || String(a.id).localeCompare(String(b.id)));
      const columnsOf = (filename: string) => keyColumnsIn(filename, 'orders', 'priority');

      it('fills its column off the event loop, keeps in step what is written meanwhile, and reads the column only once filled', async () => {
        const filename = join(dir, 'r.sqlite');
        const { store, orders } = await bigTable(filename);
        let done = false;
        const declaring = store.ensureIndexes('orders', declared).then(() => (done = true));
        const written: Row[] = [];
        const writes: Promise<boolean>[] = [];
        let answered = 0;
        let answeredBeforeFilled = 0;
        const observer = new Database(filename, { readonly: true });
        const filled = observer.prepare<[], number>("SELECT COUNT(*) FROM pragma_table_info('docs:orders') WHERE name = 'key:priority'").pluck();
        while (!done) {
          if (!filled.get()) answeredBeforeFilled = answered;
          expect((await orders.get('o000007'))?.status).toBe('B');
          // Counted from the documents: a half-filled column read here would miss rows.
          if (answered % 10 === 0) expect((await orders.find({ filter: { priority: 3 }, limit: 0 })).total).toBe(rowsOf(ROWS).filter((row) => row.priority === 3).length);
          const row = { id: `n${answered}`, resellerId: 'r1', status: 'A', orderDate: '2027-01', amount: 1, priority: 20 + (answered % 5) };
          written.push(row);
          writes.push(orders.apply(row.id, { streamId: `order-${row.id}`, revision: 0 }, () => row));
          // A row whose key changes while its range may not be filled yet.
          if (answered === 0) writes.push(orders.apply('o000016', { streamId: 'order-o000016', revision: 1 }, (order) => ({ ...order!, priority: 30 })));
          answered++;
          await new Promise((resolve) => setImmediate(resolve));
        }
        await declaring;
        await Promise.all(writes);
        observer.close();
        // Filled on the event loop's thread in one statement (the code before), the reads got 2 turns before it was.
        expect(answeredBeforeFilled).toBeGreaterThan(10);
        const all = [...rowsOf(ROWS).map((row) => (row.id === 'o000016' ? { ...row, priority: 30 } : row)), ...written];
        expect((await orders.find({ sort: { priority: -1 }, limit: 50 })).items).toEqual(byPriority(all).slice(0, 50));
        expect((await orders.find({ filter: { priority: 3 }, sort: { priority: -1 }, skip: 100, limit: 20 })).items).toEqual(byPriority(all.filter((row) => row.priority === 3)).slice(100, 120));
        await store.close();
        expect(columnsOf(filename)).toEqual(['key:priority']);
        expect(sortIndexesIn(filename, 'orders')).toBe(4);
      });

      it('fills it again at the next start when a close cut its fill short, and never reads it half filled', async () => {
        const filename = join(dir, 'r.sqlite');
        const { store } = await bigTable(filename);
        await closeWhileMaking(store, store.ensureIndexes('orders', declared));
        expect(columnsOf(filename)).toEqual(['key~filling:priority']);

        const reopened = SqliteReadStore.open({ filename, offThreadRows: 0 });
        const orders = reopened.collection<Row>('orders');
        const expected = byPriority(rowsOf(ROWS));
        expect((await orders.find({ sort: { priority: -1 }, skip: 5_000, limit: 10 })).items).toEqual(expected.slice(5_000, 5_010));
        await reopened.ensureIndexes('orders', declared);
        expect((await orders.find({ sort: { priority: -1 }, skip: 5_000, limit: 10 })).items).toEqual(expected.slice(5_000, 5_010));
        await reopened.close();
        expect(columnsOf(filename)).toEqual(['key:priority']);
        const db = new Database(filename, { readonly: true });
        expect(db.prepare('SELECT COUNT(*) FROM "docs:orders" WHERE "key:priority" IS NOT json_extract(doc, \'$.priority\')').pluck().get()).toBe(0);
        db.close();
      });
    });

    it('finishes the index being made when the store closes, and begins no other', async () => {
      const filename = join(dir, 'r.sqlite');
      const { store } = await bigTable(filename);
      await closeWhileMaking(store, store.ensureIndexes('orders', indexes));
      expect(sortIndexesIn(filename, 'orders')).toBe(1);
      // The next start makes the others.
      const reopened = SqliteReadStore.open({ filename, offThreadRows: 0 });
      await reopened.ensureIndexes('orders', indexes);
      await reopened.close();
      expect(sortIndexesIn(filename, 'orders')).toBe(3);
    });

    it('makes two collections\' indexes one after the other while writers keep writing to both, none of them while an index is being made', async () => {
      const filename = join(dir, 'r.sqlite');
      const { store, orders } = await bigTable(filename);
      const archive = store.collection<Row>('archive');
      for (const row of rowsOf(2_000)) await archive.apply(row.id, { streamId: `archived-${row.id}`, revision: 0 }, () => row);
      let making = true;
      const written = { orders: 0, archive: 0 };
      const keepWriting = async (name: 'orders' | 'archive', collection: typeof orders) => {
        for (let i = 0; making; i++, written[name]++) {
          await collection.apply(`w${i}`, { streamId: `${name}-w${i}`, revision: 0 }, () => ({ id: `w${i}`, resellerId: 'r0', status: 'B', orderDate: '2027-02', amount: i }));
          // As a projection hands the event loop over (EventLoopShare), else it would never turn.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const whileMaking = await writesWhileMakingIndexes(store, async () => {
        const writers = [keepWriting('orders', orders), keepWriting('archive', archive)];
        await Promise.all([store.ensureIndexes('orders', indexes), store.ensureIndexes('archive', indexes)]);
        making = false;
        await Promise.all(writers);
      });
      expect(whileMaking).toEqual([]);
      for (const [name, collection] of [['orders', orders], ['archive', archive]] as const) {
        expect((await collection.find({ filter: { orderDate: '2027-02' }, sort: { amount: -1 }, limit: 0 })).total).toBe(written[name]);
      }
      await store.close();
      expect(sortIndexesIn(filename, 'orders') + sortIndexesIn(filename, 'archive')).toBe(6);
    });
  });

  it('answers a search in the sort of an index whose keys go on after id from that index, in the order of its keys up to id', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('orders', [{ day: -1, id: 1, status: 1, subject: 1 }]);
    // Few days, so most rows tie on the day: id orders them, never the status or subject after it.
    for (let i = 0; i < 200; i++) {
      const row = { id: `o${(i * 37) % 200}`, day: `2026-05-0${i % 3}`, status: i % 4 ? 'PLACED' : 'DELETED', subject: `${i % 2 ? 'Azure' : 'Office'} ${199 - i}` };
      for (const target of [store, memory]) await target.collection<Row>('orders').apply(row.id, { streamId: `order-${row.id}`, revision: 0 }, () => row);
    }
    for (const filter of [{}, { status: { $ne: 'DELETED' }, ...textSearch('azure', ['subject']) }]) {
      const options = { filter, sort: { day: -1 as const }, skip: 30, limit: 30 };
      expect(await store.collection<Row>('orders').find(options)).toEqual(await memory.collection<Row>('orders').find(options));
    }
    await store.close();
    const db = new Database(filename, { readonly: true });
    const where = `"key:status" IS NOT 'DELETED' AND "key:subject" LIKE '%azure%'`;
    const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT doc FROM "docs:orders" WHERE ${where} ORDER BY "key:day" DESC, id ASC LIMIT 30`).all();
    expect(plan.map((row) => row.detail)).toEqual(['SCAN docs:orders USING INDEX keys:orders:day-,id+,status+,subject+']);
    db.close();
  });

  it.each([
    ['made here', {}],
    ['made in the index worker', { offThreadRows: 0 }],
  ] as const)("plans with the statistics of indexes it made over rows already there: a customer's page for distributor staff skip-scans the reseller + customer index (%s)", async (_way, options) => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename, ...options });
    // A first fill: rows first, indexes once they are there.
    for (let i = 0; i < 3000; i++) {
      const row = { id: `c${i}`, resellerId: `reseller-${i % 20}`, customerId: `customer-${i % 600}`, day: `2026-05-${String(1 + (i % 28)).padStart(2, '0')}` };
      await store.collection<Row>('contracts').apply(row.id, { streamId: `contract-${row.id}`, revision: 0 }, () => row);
    }
    await store.flush!();
    await store.ensureIndexes('contracts', [{ resellerId: 1, customerId: 1, day: -1 }, { day: -1 }]);
    const { items } = await store.collection<Row>('contracts').find({ filter: { customerId: 'customer-7' }, sort: { day: -1 }, limit: 30 });
    expect(items.map((row) => row.id).sort()).toEqual(['c1807', 'c2407', 'c607', 'c7', 'c1207'].sort());
    const where = `"key:customerId" = 'customer-7'`;
    // The store's own connection plans with them too (a search of the index, not a scan of every row).
    expect(store.table('contracts').scans(`SELECT doc FROM "docs:contracts" WHERE ${where} ORDER BY "key:day" DESC, id ASC LIMIT 30`)).toBe(false);
    await store.close();
    const db = new Database(filename, { readonly: true });
    const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT doc FROM "docs:contracts" WHERE ${where} ORDER BY "key:day" DESC, id ASC LIMIT 30`).all();
    expect(plan[0].detail).toMatch(/USING INDEX keys:contracts:resellerId\+,customerId\+,day-,id\+ \(ANY\(/);
    db.close();
  });

  it('drops the indexes it made for a collection once they are no longer declared, and leaves the other collections\' alone', async () => {
    const filename = join(dir, 'r.sqlite');
    const indexNames = () => {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'keys:%' ORDER BY name`).all().map((row) => row.name);
      } finally {
        db.close();
      }
    };
    let store = SqliteReadStore.open({ filename });
    await store.ensureIndexes('orders', [{ day: -1 }, { status: 1 }]);
    await store.ensureIndexes('orders2', [{ day: -1 }]);
    await store.collection<Row>('orders').apply('o1', { streamId: 'order-o1', revision: 0 }, () => ({ id: 'o1', day: '2026-05-01', status: 'A' }));
    await store.close();
    // The next release declares a wider index in place of the first one.
    store = SqliteReadStore.open({ filename });
    await store.ensureIndexes('orders', [{ day: -1, id: 1, status: 1 }, { status: 1 }]);
    expect((await store.collection<Row>('orders').find({ filter: { status: 'A' }, sort: { day: -1 } })).items).toEqual([{ id: 'o1', day: '2026-05-01', status: 'A' }]);
    await store.close();
    expect(indexNames()).toEqual(['keys:orders2:day-,id+', 'keys:orders:day-,id+,status+', 'keys:orders:status+,id+']);
  });

  it("moves a file of the release before (indexes on the documents' expressions) to key columns at its first start: same answers, the old indexes gone", async () => {
    const filename = join(dir, 'r.sqlite');
    let store = SqliteReadStore.open({ filename });
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: `o${i}`, status: ['A', 'B', 'C'][i % 3], day: `2026-05-${String(1 + (i % 9)).padStart(2, '0')}` }));
    for (const row of rows) await store.collection<Row>('orders').apply(row.id, { streamId: `order-${row.id}`, revision: 0 }, () => row);
    await store.close();
    // What the release before made: its index on expressions of the document, no key column.
    const old = new Database(filename);
    old.exec(`CREATE INDEX "index:orders:status+,day-,id+" ON "docs:orders" (json_extract(doc, '$.status') ASC, json_extract(doc, '$.day') DESC, id ASC)`);
    old.close();

    store = SqliteReadStore.open({ filename });
    await store.ensureIndexes('orders', [{ status: 1, day: -1 }]);
    const page = await store.collection<Row>('orders').find({ filter: { status: 'B' }, sort: { day: -1 }, limit: 5 });
    const expected = rows.filter((row) => row.status === 'B').sort((x, y) => (x.day === y.day ? (x.id < y.id ? -1 : 1) : x.day < y.day ? 1 : -1));
    expect({ ids: page.items.map((row) => row.id), total: page.total }).toEqual({ ids: expected.slice(0, 5).map((row) => row.id), total: expected.length });
    await store.close();

    const db = new Database(filename, { readonly: true });
    const indexes = db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs:orders' AND name NOT LIKE 'sqlite_%'`).pluck().all();
    const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT doc FROM "docs:orders" WHERE "key:status" = 'B' ORDER BY "key:day" DESC, id ASC LIMIT 5`).all();
    expect({ indexes, plan: plan.map((row) => row.detail) }).toEqual({ indexes: ['keys:orders:status+,day-,id+'], plan: ['SEARCH docs:orders USING INDEX keys:orders:status+,day-,id+ (key:status=?)'] });
    db.close();
  });

  it('keeps every list right through writes that change indexed fields, other fields, and both', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const memory = new InMemoryReadStore();
    await store.ensureIndexes('orders', [{ status: 1, day: -1 }, { 'owner.name': 1 }]);
    const shapes = [
      (i: number) => ({ status: ['A', 'B'][i % 2], day: `2026-05-0${1 + (i % 5)}`, note: `n${i}` }),
      (i: number) => ({ note: `changed ${i}` }),
      (i: number) => ({ day: i % 3 ? null : `2026-06-0${1 + (i % 4)}`, owner: { name: `p${i % 2}` } }),
      (i: number) => ({ status: i % 4 ? 'C' : 'A', owner: i % 2 ? { name: 'p1' } : [{ name: 'p0' }] }),
    ];
    for (const [revision, shape] of shapes.entries()) {
      for (let i = 0; i < 24; i++) {
        const id = `o${i}`;
        for (const target of [store, memory]) {
          await target.collection<Row>('orders').apply(id, { streamId: `order-${id}`, revision }, (doc) => ({ ...(doc ?? { id }), ...shape(i + revision) }));
        }
      }
      for (const filter of [{}, { status: 'A' }, { status: 'C' }, { day: null }, { 'owner.name': 'p1' }] as Filter[]) {
        for (const sort of [{ day: -1 }, { 'owner.name': 1 }] as Sort[]) {
          const options = { filter, sort, limit: 7 };
          expect({ revision, filter, sort, page: await store.collection<Row>('orders').find(options) }).toEqual({ revision, filter, sort, page: await memory.collection<Row>('orders').find(options) });
        }
      }
    }
    await store.close();
  });

  it('builds the text index of a file written without one, then answers searches from it exactly as mingo, whatever the fields held', async () => {
    const filename = join(dir, 'r.sqlite');
    const rows: Row[] = [
      { id: 'a', subject: 'Azure 従量課金', code: 'ORD-1' },
      // JavaScript's `i` keeps ſ and the Kelvin sign apart from s and k (Unicode case folding would not).
      { id: 'b', subject: 'ſtraße \u212Aelvin', code: 'ord-2' },
      { id: 'c', subject: 'ＡＺＵＲＥ ｏｆｆｉｃｅ', code: 42 },
      { id: 'd', subject: ['azure', 'tag'], code: 'x' },
      { id: 'e', code: 'AZURE-ORD' },
    ];
    const before = SqliteReadStore.open({ filename });
    for (const row of rows) await before.collection<Row>('rows').apply(row.id, { streamId: `row-${row.id}`, revision: 0 }, () => row);
    await before.close();

    const store = SqliteReadStore.open({ filename });
    const projection = defineProjection({ name: 'p', collections: ['rows'], textIndexes: { rows: ['subject', 'code'] }, on: {} });
    await ensureProjectionIndexes(projection, store);
    const queries = ['azure', 'str', 'STRA', 'kel', 'elvin', 'ＡＺＵ', 'ａｚｕ', 'OFF', 'ord-', '42', 'tag', 'urE 従'];
    for (const fields of [['code'], ['subject', 'code']]) {
      for (const q of queries) {
        const filter = textSearch(q, fields);
        const expected = rows.filter((row) => new Query(filter).test(row)).map((row) => row.id);
        const page = await store.collection<Row>('rows').find({ filter, sort: { id: 1 } });
        expect({ q, fields, ids: page.items.map((row) => row.id) }).toEqual({ q, fields, ids: expected });
      }
    }
    await store.close();

    // The index was filled from the rows already there: string values only, ASCII letters lowered.
    const db = new Database(filename, { readonly: true });
    const matching = (query: string) => db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM "text:rows" WHERE "text:rows" MATCH ?`).get(query)!.n;
    expect([matching('"azure"'), matching('"ord-"'), matching('"42"'), matching('{code} : "ord"')]).toEqual([2, 2, 0, 3]);
    db.close();
  });

  describe.each([
    ['here', {}],
    ['in the index worker', { offThreadRows: 0 }],
  ] as const)('a text index made over documents already there (%s)', (_way, where) => {
    // Two rows per statement, the event loop handed over after each: a fill of 100,000 orders, in small.
    const filling = { textIndexFill: { rowsPerStatement: 2, sliceMs: 0 }, ...where };
    const subjectOf = (n: number) => `${n % 2 ? 'Office' : 'Azure'} ${n}`;
    const filledStore = async (filename: string, rows = 10) => {
      const store = SqliteReadStore.open({ filename, ...filling });
      for (let n = 0; n < rows; n++) await store.collection<Row>('rows').apply(`r${n}`, { streamId: `row-r${n}`, revision: 0 }, () => ({ id: `r${n}`, subject: subjectOf(n) }));
      return store;
    };
    /** What the file holds, read through a connection of its own. */
    const inFile = <R,>(filename: string, read: (db: Database.Database) => R): R => {
      const db = new Database(filename, { readonly: true });
      try {
        return read(db);
      } finally {
        db.close();
      }
    };
    /** What the index itself holds of a word. */
    const indexed = (filename: string, word: string) =>
      inFile(filename, (db) =>
        db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'text:rows'").get()
          ? db.prepare<[string], number>(`SELECT COUNT(*) FROM "text:rows" WHERE "text:rows" MATCH ?`).pluck().get(`"${word}"`)
          : undefined,
      );
    const tablesOf = (filename: string) => inFile(filename, (db) => db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
    const searched = async (store: SqliteReadStore, docs: Row[], word: string) => {
      const filter = textSearch(word, ['subject']);
      const page = await store.collection<Row>('rows').find({ filter, sort: { id: 1 } });
      return { found: page.items.map((row) => row.id), expected: docs.filter((row) => new Query(filter).test(row)).map((row) => row.id) };
    };

    it('hands the event loop over while it fills, then serves searches', async () => {
      const filename = join(dir, 'r.sqlite');
      const store = await filledStore(filename);
      let timerRan = false;
      setImmediate(() => (timerRan = true));
      await store.ensureTextIndex('rows', ['subject']);
      expect(timerRan).toBe(true);
      await store.flush();
      expect(indexed(filename, 'azure')).toBe(5);
      await store.close();
    });

    it('keeps in step what is written while it fills, and answers searches meanwhile without it', async () => {
      const filename = join(dir, 'r.sqlite');
      const store = await filledStore(filename);
      const rows = store.collection<Row>('rows');
      const made = store.ensureTextIndex('rows', ['subject']);
      await new Promise((resolve) => setImmediate(resolve));
      // A row already filled, a row not reached yet, and a new one.
      await rows.apply('r0', { streamId: 'row-r0', revision: 1 }, () => ({ id: 'r0', subject: 'Office now' }));
      await rows.apply('r9', { streamId: 'row-r9', revision: 1 }, () => ({ id: 'r9', subject: 'Azure now' }));
      await rows.apply('r10', { streamId: 'row-r10', revision: 0 }, () => ({ id: 'r10', subject: 'Azure added' }));
      const docs = (await rows.find({ sort: { id: 1 } })).items;
      const during = await searched(store, docs, 'azure');
      expect(during.found).toEqual(during.expected);
      await made;
      const after = await searched(store, docs, 'azure');
      expect(after.found).toEqual(after.expected);
      await store.flush();
      // r2, r4, r6, r8, r9, r10: each once.
      expect(indexed(filename, 'azure')).toBe(6);
      await store.close();
    });

    it('answers a second call for the same index once the first call has filled it', async () => {
      const filename = join(dir, 'r.sqlite');
      const store = await filledStore(filename);
      const first = store.ensureTextIndex('rows', ['subject']);
      await store.ensureTextIndex('rows', ['subject']);
      await store.flush();
      expect(indexed(filename, 'azure')).toBe(5);
      await first;
      await store.close();
    });

    it('leaves nothing a start takes for a made index when the store closes in the middle of a fill', async () => {
      const filename = join(dir, 'r.sqlite');
      const store = await filledStore(filename);
      const docs = (await store.collection<Row>('rows').find({ sort: { id: 1 } })).items;
      const made = store.ensureTextIndex('rows', ['subject']).catch((error: unknown) => error);
      await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      await made;
      expect(indexed(filename, 'azure')).toBeUndefined();
      expect(tablesOf(filename)).toContain('text:rows~filling');

      const reopened = SqliteReadStore.open({ filename, ...where });
      const before = await searched(reopened, docs, 'azure');
      expect(before.found).toEqual(before.expected);
      // The unfinished fill is gone once the collection is opened, not kept until the index is made again.
      await reopened.flush();
      expect(tablesOf(filename).filter((name) => name.startsWith('text:'))).toEqual([]);
      await reopened.ensureTextIndex('rows', ['subject']);
      await reopened.flush();
      expect(indexed(filename, 'azure')).toBe(5);
      await reopened.close();
    });
  });

  it('holds in a partial text index only the documents its filter matches: from the first fill, as they change, and declared anew', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    const rows = store.collection<Row>('rows');
    const write = (id: string, revision: number, state: string) => rows.apply(id, { streamId: `row-${id}`, revision }, () => ({ id, subject: `Azure ${id}`, state }));
    await write('a', 0, 'LIVE');
    await write('b', 0, 'DELETED');
    const listed = { state: { $ne: 'DELETED' } };
    await store.ensureTextIndex('rows', ['subject'], { partialFilter: listed });
    await write('c', 0, 'DELETED');
    await write('d', 0, 'LIVE');
    await write('a', 1, 'DELETED');
    await write('b', 1, 'LIVE');
    await store.flush();
    const held = () => {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare<[], { rowid: number }>(`SELECT rowid FROM "text:rows" WHERE "text:rows" MATCH '"azure"'`).all().length;
      } finally {
        db.close();
      }
    };
    // b and d: the index alone counts the list's total of a search.
    expect(held()).toBe(2);
    expect((await rows.find({ filter: { ...listed, ...textSearch('azure', ['subject']) }, limit: 1 })).total).toBe(2);

    // Declared anew: made again from the documents, by SQL or (a filter SQL does not answer) one by one.
    await store.ensureTextIndex('rows', ['subject']);
    await store.flush();
    expect(held()).toBe(4);
    await store.ensureTextIndex('rows', ['subject'], { partialFilter: { state: { $not: { $eq: 'LIVE' } } } });
    await store.flush();
    expect(held()).toBe(2);
    await store.close();
  });

  it('re-indexes a document whose searched field a change edits in place, and finds it by its new words only', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const projection = defineProjection({ name: 'p', collections: ['rows'], textIndexes: { rows: ['subject'] }, on: {} });
    await ensureProjectionIndexes(projection, store);
    const rows = store.collection<Row>('rows');
    await rows.apply('r1', { streamId: 'row-1', revision: 0 }, () => ({ id: 'r1', subject: 'Azure 従量課金' }));
    await rows.apply('r1', { streamId: 'row-1', revision: 1 }, (doc) => Object.assign(doc!, { subject: 'Office 2024' }));
    const found = async (q: string) => (await rows.find({ filter: textSearch(q, ['subject']) })).items.map((row) => row.id);
    expect([await found('office'), await found('azure')]).toEqual([['r1'], []]);
    await store.close();
  });

  describe('totals kept across a restart', () => {
    const open = (options: { maxWritesPerCommit?: number } = {}) => SqliteReadStore.open({ filename: join(dir, 'r.sqlite'), ...options });
    const write = (store: SqliteReadStore, id: string, revision: number, status: string) =>
      store.collection<Row>('rows').apply(id, { streamId: `row-${id}`, revision }, () => ({ id, status }));
    // A page smaller than the matches: its total is the one kept, not the page's rows.
    const openTotal = async (store: SqliteReadStore) => (await store.collection<Row>('rows').find({ filter: { status: 'OPEN' }, limit: 1 })).total;
    const saved = () => {
      const db = new Database(join(dir, 'r.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT collection, filter, total FROM read_counts').all();
      } finally {
        db.close();
      }
    };

    it('saves each total a list counted, and the next process finds it exact as documents move in and out', async () => {
      const first = open();
      for (const id of ['a', 'b', 'c']) await write(first, id, 0, 'OPEN');
      await first.flush();
      expect(await openTotal(first)).toBe(3);
      await first.close();
      // Counted by a read after the last write: saved at close.
      expect(saved()).toEqual([{ collection: 'rows', filter: JSON.stringify({ status: 'OPEN' }), total: 3 }]);

      const second = open();
      expect(await openTotal(second)).toBe(3);
      await write(second, 'a', 1, 'CLOSED');
      await write(second, 'd', 0, 'OPEN');
      await write(second, 'e', 0, 'OPEN');
      await second.close();
      expect(saved()).toEqual([{ collection: 'rows', filter: JSON.stringify({ status: 'OPEN' }), total: 4 }]);

      const third = open();
      expect(await openTotal(third)).toBe(4);
      await third.reset('p', ['rows']);
      await third.flush();
      expect(saved()).toEqual([]);
      expect(await openTotal(third)).toBe(0);
      await third.close();
    });

    it('saves no more totals than it keeps: a filter it forgot to make room is deleted from the file', async () => {
      const store = open();
      await write(store, 'a', 0, 'S0');
      const ask = (n: number) => store.collection<Row>('rows').find({ filter: { status: `S${n}` }, limit: 0 });
      for (let n = 0; n < 32; n++) await ask(n);
      // Saved with this write's commit; the next eight asks push the first eight out.
      await write(store, 'b', 0, 'S1');
      await store.flush();
      expect(saved()).toHaveLength(32);
      for (let n = 32; n < 40; n++) await ask(n);
      await store.close();
      const filters = saved().map((row) => JSON.parse((row as { filter: string }).filter).status);
      expect(filters).toHaveLength(32);
      expect(filters).toEqual(expect.arrayContaining(['S8', 'S39']));
      expect(filters).not.toContain('S7');
    });

    it('keeps the total of a filter the projection declares counted from the start, through a reset, and never forgets it to make room', async () => {
      const store = open();
      const projection = defineProjection({ name: 'p', collections: ['rows'], countedFilters: { rows: [{ status: 'OPEN' }] }, on: {} });
      await write(store, 'a', 0, 'OPEN');
      await ensureProjectionIndexes(projection, store);
      await write(store, 'b', 0, 'OPEN');
      await write(store, 'c', 0, 'CLOSED');
      await store.flush();
      // Kept and saved without a list having asked for it.
      const openRow = (total: number) => ({ collection: 'rows', filter: JSON.stringify({ status: 'OPEN' }), total });
      expect(saved()).toEqual([openRow(2)]);
      for (let n = 0; n < 40; n++) await store.collection<Row>('rows').find({ filter: { status: `S${n}` }, limit: 0 });
      await write(store, 'd', 0, 'CLOSED');
      await store.flush();
      expect(saved()).toContainEqual(openRow(2));
      await store.reset('p', ['rows']);
      await write(store, 'e', 1, 'OPEN');
      await store.close();
      expect(saved()).toContainEqual(openRow(1));
    });

    /** Two open rows counted and saved, then the saved total planted as `total` (a count would say 2), and the store opened again. */
    const reopenedWithSavedTotal = async (total: number) => {
      const first = open();
      for (const id of ['a', 'b']) await write(first, id, 0, 'OPEN');
      expect(await openTotal(first)).toBe(2);
      await first.close();
      plantSavedTotals(join(dir, 'r.sqlite'), total);
      return open();
    };

    it('answers a restart\'s first ask from the saved total instead of counting again', async () => {
      const second = await reopenedWithSavedTotal(1_000_000);
      expect(await openTotal(second)).toBe(1_000_000);
      await second.close();
    });

    it('answers a page past a kept total without reading rows', async () => {
      const second = await reopenedWithSavedTotal(0);
      expect(await second.collection<Row>('rows').find({ filter: { status: 'OPEN' }, limit: 10 })).toEqual({ items: [], total: 0 });
      await second.close();
    });

    it('does not search again for what it found nothing of, and finds it once it is written', async () => {
      const store = open();
      await write(store, 'a', 0, 'OPEN');
      const waiting = () => store.collection<Row>('rows').find({ filter: { status: 'WAITING' }, limit: 10 });
      expect(await waiting()).toEqual({ items: [], total: 0 });
      // Behind the store's back (no total moves): not seen, so no row was read.
      await store.flush();
      const db = new Database(join(dir, 'r.sqlite'));
      db.prepare('INSERT INTO "docs:rows" (id, doc, versions) VALUES (?, jsonb(?), ?)').run('x', JSON.stringify({ id: 'x', status: 'WAITING' }), '{}');
      db.close();
      expect((await waiting()).total).toBe(0);
      // Through the store, the kept total moves and the page is read.
      await write(store, 'a', 1, 'WAITING');
      expect((await waiting()).items.map((row) => row.id)).toEqual(['a', 'x']);
      await store.close();
    });

    it('saves a total in the commit of the documents it counts, also when a write commits at once (a crash loses neither alone)', async () => {
      const first = open({ maxWritesPerCommit: 1 });
      await write(first, 'a', 0, 'OPEN');
      expect(await openTotal(first)).toBe(1);
      await write(first, 'b', 0, 'OPEN');
      await write(first, 'a', 1, 'CLOSED');
      await write(first, 'c', 0, 'OPEN');
      // No close: what a process that dies now leaves in the file.
      const next = open();
      try {
        expect(await openTotal(next)).toBe(2);
      } finally {
        await next.close();
        await first.close();
      }
    });
  });

  describe('documents written by other code (an older release a platform team rolled back to)', () => {
    const filename = () => join(dir, 'r.sqlite');
    const projection = defineProjection({ name: 'p', collections: ['rows'], textIndexes: { rows: ['subject'] }, countedFilters: { rows: [{ state: 'OPEN' }] }, on: {} });
    /** A store of this code: two open rows, the projection's text index and counted total, then closed. */
    const keptByThisCode = async () => {
      const store = SqliteReadStore.open({ filename: filename() });
      await ensureProjectionIndexes(projection, store);
      for (const id of ['a', 'b']) await store.collection<Row>('rows').apply(id, { streamId: `row-${id}`, revision: 0 }, () => ({ id, subject: `Azure ${id}`, state: 'OPEN' }));
      await store.close();
    };
    /** What older code does: documents written, the totals and the text index beside them not. */
    const writtenByOtherCode = (then?: (db: Database.Database) => void) => {
      const db = new Database(filename());
      try {
        then?.(db);
        const put = db.prepare('INSERT INTO "docs:rows" (id, doc, versions) VALUES (?, jsonb(?), ?)');
        for (const id of ['c', 'd']) put.run(id, JSON.stringify({ id, subject: `Zebra ${id}`, state: 'OPEN' }), JSON.stringify({ [`row-${id}`]: 0 }));
      } finally {
        db.close();
      }
    };
    const reopened = async () => {
      const store = SqliteReadStore.open({ filename: filename() });
      await ensureProjectionIndexes(projection, store);
      const rows = store.collection<Row>('rows');
      const answers = {
        open: (await rows.find({ filter: { state: 'OPEN' }, limit: 1 })).total,
        zebra: (await rows.find({ filter: textSearch('zebra', ['subject']) })).items.map((row) => row.id),
      };
      await store.close();
      return answers;
    };

    it('counts its totals again and makes its text index again when the next start finds rows it did not write', async () => {
      await keptByThisCode();
      writtenByOtherCode();
      expect(await reopened()).toEqual({ open: 4, zebra: ['c', 'd'] });
    });

    it('does so too for a table without a write count, made by other code after this code first opened the file', async () => {
      await keptByThisCode();
      writtenByOtherCode((db) => {
        for (const trigger of db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all()) db.exec(`DROP TRIGGER "${trigger}"`);
      });
      expect(await reopened()).toEqual({ open: 4, zebra: ['c', 'd'] });
    });

    it('trusts a file from before write counts (the release before) at its first open, instead of counting and indexing it all again', async () => {
      await keptByThisCode();
      const db = new Database(filename());
      for (const trigger of db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all()) db.exec(`DROP TRIGGER "${trigger}"`);
      db.exec("DROP TABLE read_writes; DELETE FROM read_store_meta WHERE key <> 'instance'");
      db.close();
      plantSavedTotals(filename(), 1_000_000);
      expect((await reopened()).open).toBe(1_000_000);
      // Counted from then on: other code's rows are seen at the next start.
      writtenByOtherCode();
      expect(await reopened()).toEqual({ open: 4, zebra: ['c', 'd'] });
    });

    it('sets its key columns again from the documents when the next start finds rows it did not write', async () => {
      const indexed = defineProjection({ name: 'p', collections: ['rows'], indexes: { rows: [{ state: 1 }] }, on: {} });
      const open = async () => {
        const store = SqliteReadStore.open({ filename: filename() });
        await ensureProjectionIndexes(indexed, store);
        return store;
      };
      let store = await open();
      for (const id of ['a', 'b']) await store.collection<Row>('rows').apply(id, { streamId: `row-${id}`, revision: 0 }, () => ({ id, state: 'OPEN' }));
      await store.close();
      // Older code changes a document and adds one: it writes `doc`, never the key columns.
      const db = new Database(filename());
      db.prepare('UPDATE "docs:rows" SET doc = jsonb(?) WHERE id = ?').run(JSON.stringify({ id: 'a', state: 'CLOSED' }), 'a');
      db.prepare('INSERT INTO "docs:rows" (id, doc, versions) VALUES (?, jsonb(?), ?)').run('c', JSON.stringify({ id: 'c', state: 'OPEN' }), '{}');
      db.close();
      // Opened, the stale column is not read: lists answer from the documents until it is filled again.
      store = SqliteReadStore.open({ filename: filename() });
      const ids = async (state: string) => (await store.collection<Row>('rows').find({ filter: { state }, sort: { id: 1 } })).items.map((row) => row.id);
      expect({ open: await ids('OPEN'), closed: await ids('CLOSED') }).toEqual({ open: ['b', 'c'], closed: ['a'] });
      await store.flush();
      expect(keyColumnsIn(filename(), 'rows')).toEqual(['key~filling:state']);
      await ensureProjectionIndexes(indexed, store);
      expect({ open: await ids('OPEN'), closed: await ids('CLOSED') }).toEqual({ open: ['b', 'c'], closed: ['a'] });
      await store.close();
      expect(keyColumnsIn(filename(), 'rows')).toEqual(['key:state']);
    });

    it('writes and fills a field whose filling name a release without such names left taken', async () => {
      const indexed = defineProjection({ name: 'p', collections: ['rows'], indexes: { rows: [{ state: 1 }] }, on: {} });
      let store = SqliteReadStore.open({ filename: filename() });
      await ensureProjectionIndexes(indexed, store);
      await store.collection<Row>('rows').apply('a', { streamId: 'row-a', revision: 0 }, () => ({ id: 'a', state: 'OPEN' }));
      await store.close();
      // A column of that name, as a fill cut short would leave it, beside the filled one; then older code writes.
      const db = new Database(filename());
      db.exec('ALTER TABLE "docs:rows" ADD COLUMN "key~filling:state"');
      db.prepare('UPDATE "docs:rows" SET doc = jsonb(?) WHERE id = ?').run(JSON.stringify({ id: 'a', state: 'CLOSED' }), 'a');
      db.close();
      store = SqliteReadStore.open({ filename: filename() });
      await store.collection<Row>('rows').apply('b', { streamId: 'row-b', revision: 0 }, () => ({ id: 'b', state: 'OPEN' }));
      await ensureProjectionIndexes(indexed, store);
      const ids = async (state: string) => (await store.collection<Row>('rows').find({ filter: { state }, sort: { id: 1 } })).items.map((row) => row.id);
      expect({ open: await ids('OPEN'), closed: await ids('CLOSED') }).toEqual({ open: ['b'], closed: ['a'] });
      await store.close();
    });

    it('trusts what it saved itself: a restart after its own writes counts nothing again', async () => {
      await keptByThisCode();
      plantSavedTotals(filename(), 1_000_000);
      expect((await reopened()).open).toBe(1_000_000);
    });
  });

  it('keeps a list total right when a change edits the counted field in place', async () => {
    const store = SqliteReadStore.open({ filename: join(dir, 'r.sqlite') });
    const rows = store.collection<Row>('rows');
    for (const id of ['r1', 'r2', 'r3']) await rows.apply(id, { streamId: `row-${id}`, revision: 0 }, () => ({ id, status: 'OPEN' }));
    // A page smaller than the matches: the total is the one kept as documents change.
    const openTotal = async () => (await rows.find({ filter: { status: 'OPEN' }, limit: 1 })).total;
    expect(await openTotal()).toBe(3);
    await rows.apply('r1', { streamId: 'row-r1', revision: 1 }, (doc) => Object.assign(doc!, { status: 'CLOSED' }));
    expect(await openTotal()).toBe(2);
    await store.close();
  });

  it('keeps a checkpoint together with the documents written before it, across a reopen', async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    const rows = store.collection<Row>('rows');
    for (let i = 0; i < 20; i++) {
      await rows.apply(`r${i}`, { streamId: `row-${i}`, revision: 0 }, () => ({ id: `r${i}` }));
      await store.saveCheckpoint('p', i);
    }
    await store.close();
    const reopened = SqliteReadStore.open({ filename });
    expect(await reopened.loadCheckpoint('p')).toBe(19);
    expect((await reopened.collection('rows').find()).total).toBe(20);
    // The versions survive too: a replayed event is still skipped.
    expect(await reopened.collection<Row>('rows').apply('r3', { streamId: 'row-3', revision: 0 }, () => ({ id: 'r3', again: true }))).toBe(false);
    await reopened.close();
  });

  describe('indexes made once a fill has caught up (a blue/green rebuild, a new read database)', () => {
    type Written = { type: 'RowWritten'; data: { id: string; subject: string; state: string } };
    const LISTED = { state: { $ne: 'DELETED' } };
    const rowsProjection = defineProjection<Written>({
      name: 'rows',
      collections: ['rows'],
      indexes: { rows: [{ state: 1, at: -1 }] },
      textIndexes: { rows: { fields: ['subject'], partialFilter: LISTED } },
      countedFilters: { rows: [LISTED] },
      on: { RowWritten: (event, target) => target.collection<Row>('rows').apply(event.data.id, sourceOf(event), () => ({ ...event.data, at: event.occurredAt })).then(() => undefined) },
    });
    const written = (id: string, subject: string, state: string) => anEvent('RowWritten', { id, subject, state });

    /** The applies to any store but `live` (to every store without it) held after the first, until released. */
    function held(live?: SqliteReadStore): { projection: Projection; filling: Promise<void>; release: () => void } {
      let release!: () => void;
      let filling!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const started = new Promise<void>((resolve) => (filling = resolve));
      const projection: Projection = {
        ...rowsProjection,
        apply: async (event: RecordedEvent | EventEnvelope, target) => {
          await rowsProjection.apply(event, target);
          if (target !== live) {
            filling();
            await gate;
          }
        },
      };
      return { projection, filling: started, release };
    }

    /** Four rows, one deleted, as events in a store. */
    async function rowsInStore(): Promise<InMemoryEventStore> {
      const eventStore = new InMemoryEventStore();
      await eventStore.appendToStream('row-a', [written('a', 'Azure E3', 'LIVE')]);
      await eventStore.appendToStream('row-b', [written('b', 'Office', 'LIVE')]);
      await eventStore.appendToStream('row-c', [written('c', 'Azure 従量', 'LIVE')]);
      await eventStore.appendToStream('row-d', [written('d', 'Azure old', 'DELETED')]);
      return eventStore;
    }

    /** The same four rows published on `rows.events`. */
    async function rowsOnBus(): Promise<InProcessEventBus> {
      const bus = new InProcessEventBus({ filename: join(dir, 'bus.sqlite') });
      const rows = [written('a', 'Azure E3', 'LIVE'), written('b', 'Office', 'LIVE'), written('c', 'Azure 従量', 'LIVE'), written('d', 'Azure old', 'DELETED')];
      await bus.publish(
        'rows.events',
        rows.map((event, i) => ({ ...event, streamId: `row-${i}`, streamRevision: 0 }) as EventEnvelope),
      );
      return bus;
    }

    /** The indexes a version has while its fill is held at its first apply (held()). */
    /** While the fill runs: no index yet, but the key columns the indexes will be made on, which its rows are written with. */
    async function indexesWhileFilling(filling: Promise<void>, store: SqliteReadStore, filename: string, physical = 'rows@v1'): Promise<{ indexes: string[]; keyColumns: string[] }> {
      await filling;
      await store.flush();
      const db = new Database(filename, { readonly: true });
      try {
        const keyColumns = db.prepare<[string], string>("SELECT name FROM pragma_table_info(?) WHERE name LIKE 'key:%' ORDER BY name").pluck().all(`docs:${physical}`);
        return { indexes: indexesOf(filename, physical), keyColumns };
      } finally {
        db.close();
      }
    }
    const FILLING = { indexes: [], keyColumns: ['key:at', 'key:state'] };

    /** What another connection sees of a collection (`rows`, `rows@v1`): its indexes (on key columns, and text) by name. */
    function indexesOf(filename: string, physical = 'rows@v1'): string[] {
      const db = new Database(filename, { readonly: true });
      try {
        return db
          .prepare<[string, string], { name: string }>('SELECT name FROM sqlite_master WHERE name LIKE ? OR name = ? ORDER BY name')
          .all(`keys:${physical}:%`, `text:${physical}`)
          .map((row) => row.name);
      } finally {
        db.close();
      }
    }

    /** The version answers a search and the default list from its indexes and kept totals. */
    async function expectIndexedAnswers(store: SqliteReadStore, filename: string, physical = 'rows@v1') {
      await store.flush();
      expect(indexesOf(filename, physical)).toEqual([`keys:${physical}:state+,at-,id+`, `text:${physical}`]);
      const rows = store.collection<Row>('rows');
      const search = await rows.find({ filter: { ...LISTED, ...textSearch('azure', ['subject']) }, sort: { id: 1 }, limit: 1 });
      expect({ first: search.items.map((row) => row.id), total: search.total }).toEqual({ first: ['a'], total: 2 });
      expect((await rows.find({ filter: LISTED, limit: 0 })).total).toBe(3);
    }

    /** The two kinds of projection over the same rows, for what both must do alike. */
    const kinds: Record<string, (store: SqliteReadStore, projection: Projection) => Promise<{ host: ProjectionRunner | BusProjectionConsumer; close: () => Promise<void> }>> = {
      'a projection off the store': async (store, projection) => ({
        host: new ProjectionRunner({ eventStore: await rowsInStore(), readStore: store, projection }),
        close: async () => undefined,
      }),
      'a projection off the bus': async (store, projection) => {
        const bus = await rowsOnBus();
        return { host: new BusProjectionConsumer({ bus, readStore: store, projection, groupId: 'rows', topics: ['rows.events'] }), close: () => bus.close() };
      },
    };

    it.each(Object.keys(kinds))('fills the new version first and indexes it once caught up, before it is promoted (%s)', async (kind) => {
      const filename = join(dir, 'r.sqlite');
      const store = SqliteReadStore.open({ filename });
      const { projection, filling, release } = held(store);
      const { host, close } = await kinds[kind](store, projection);
      await host.start();
      await host.caughtUp();

      const rebuilt = host.rebuild();
      const whileFilling = await indexesWhileFilling(filling, store, filename);
      release();
      await rebuilt;
      expect(whileFilling).toEqual(FILLING);
      expect(await store.liveVersion('rows')).toBe(1);
      await expectIndexedAnswers(store, filename);
      await host.stop();
      await close();
      await store.close();
    });

    it('indexes a first fill (a new read database) once it has caught up, and what a restart finds missing while it consumes', async () => {
      const filename = join(dir, 'r.sqlite');
      let store = SqliteReadStore.open({ filename });
      const eventStore = await rowsInStore();
      // Every apply is held until released: this store's version 0 is the one filling.
      const { projection, filling, release } = held();
      let runner = new ProjectionRunner({ eventStore, readStore: store, projection });
      await runner.start();
      const whileFilling = await indexesWhileFilling(filling, store, filename, 'rows');
      release();
      await runner.caughtUp();
      expect(whileFilling).toEqual(FILLING);
      await expectIndexedAnswers(store, filename, 'rows');
      await runner.stop();
      await store.close();

      // A start with a checkpoint (here a file that has one and no indexes): the events it had not seen
      // are applied while it makes them.
      const other = join(dir, 'other.sqlite');
      store = SqliteReadStore.open({ filename: other });
      await store.saveCheckpoint('rows', 0);
      runner = new ProjectionRunner({ eventStore, readStore: store, projection: rowsProjection });
      await runner.start();
      await runner.caughtUp();
      await runner.indexesMade();
      await store.flush();
      expect(indexesOf(other, 'rows')).toEqual(['keys:rows:state+,at-,id+', 'text:rows']);
      await runner.stop();
      await store.close();
    });

    it('indexes a first fill off the bus once it has caught up, and what a restart finds missing while it consumes', async () => {
      const filename = join(dir, 'r.sqlite');
      let store = SqliteReadStore.open({ filename });
      const bus = await rowsOnBus();
      const { projection, filling, release } = held();
      let consumer = new BusProjectionConsumer({ bus, readStore: store, projection, groupId: 'rows', topics: ['rows.events'] });
      await consumer.start();
      const whileFilling = await indexesWhileFilling(filling, store, filename, 'rows');
      release();
      await consumer.caughtUp();
      expect(whileFilling).toEqual(FILLING);
      await expectIndexedAnswers(store, filename, 'rows');
      await consumer.stop();
      await store.close();

      // The same file again, its indexes dropped behind its back: a start that is no first fill makes them while it consumes.
      const db = new Database(filename);
      for (const name of indexesOf(filename, 'rows')) db.exec(`DROP ${name.startsWith('text:') ? 'TABLE' : 'INDEX'} "${name}"`);
      db.close();
      store = SqliteReadStore.open({ filename });
      const stillHeld = held();
      consumer = new BusProjectionConsumer({ bus, readStore: store, projection: stillHeld.projection, groupId: 'rows', topics: ['rows.events'] });
      await bus.publish('rows.events', [{ ...written('e', 'Azure new', 'LIVE'), streamId: 'row-e', streamRevision: 0 } as EventEnvelope]);
      await consumer.start();
      await stillHeld.filling;
      stillHeld.release();
      await consumer.caughtUp();
      await consumer.indexesMade();
      await store.flush();
      expect(indexesOf(filename, 'rows')).toEqual(['keys:rows:state+,at-,id+', 'text:rows']);
      await consumer.stop();
      await bus.close();
      await store.close();
    });

  });

  it("commits a bus projection's documents before its handler returns: the bus offset, in another file, is never ahead", async () => {
    const filename = join(dir, 'r.sqlite');
    const store = SqliteReadStore.open({ filename });
    const bus = new InProcessEventBus({ filename: join(dir, 'bus.sqlite') });
    const projection = defineProjection<{ type: 'OrderPlaced'; data: unknown }>({
      name: 'placed',
      collections: ['placed'],
      on: { OrderPlaced: (event, target) => target.collection<Row>('placed').apply(event.streamId, sourceOf(event), () => ({ id: event.streamId })).then(() => undefined) },
    });
    const consumer = new BusProjectionConsumer({ bus, readStore: store, projection, groupId: 'placed', topics: ['order.events'] });
    await consumer.start();
    await bus.publish('order.events', [anEnvelope('a', 0), anEnvelope('b', 0)]);
    await consumer.caughtUp();
    // Another connection sees only what is committed, as a process started after a kill -9 would.
    const other = new Database(filename, { readonly: true });
    const committed = () => other.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM "docs:placed"').get()?.n;
    expect(committed()).toBe(2);
    other.close();
    await consumer.stop();
    await bus.close();
    await store.close();
  });

  it('holds writes open for commitDelayMs, and a bus that saves offsets only after committing the store needs no commit per message', async () => {
    const filename = join(dir, 'r.sqlite');
    const busFile = join(dir, 'bus.sqlite');
    const store = SqliteReadStore.open({ filename, commitDelayMs: 60_000 });
    const bus = new InProcessEventBus({ filename: busFile, beforeOffsetsSaved: () => store.sync() });
    const projection = defineProjection<{ type: 'OrderPlaced'; data: unknown }>({
      name: 'placed',
      collections: ['placed'],
      on: { OrderPlaced: (event, target) => target.collection<Row>('placed').apply(event.streamId, sourceOf(event), () => ({ id: event.streamId })).then(() => undefined) },
    });
    const consumer = new BusProjectionConsumer({ bus, readStore: store, projection, groupId: 'placed', topics: ['order.events'], offsetsSavedAfterReadStore: true });
    // What a process started after a kill -9 would find in each file.
    const committedDocs = () => {
      const other = new Database(filename, { readonly: true });
      try {
        return other.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM "docs:placed"').get()?.n ?? 0;
      } catch {
        return 0; // the table itself is not committed yet
      } finally {
        other.close();
      }
    };
    const savedOffsets = () => {
      const other = new Database(busFile, { readonly: true });
      try {
        return other.prepare<[], { n: number }>("SELECT COALESCE(SUM(next_offset), 0) AS n FROM bus_offsets WHERE group_id = 'placed'").get()?.n;
      } finally {
        other.close();
      }
    };
    try {
      await consumer.start();
      await bus.publish('order.events', [anEnvelope('a', 0), anEnvelope('b', 0)]);
      await consumer.caughtUp();
      // Past the end of the tick, when a store without the delay would have committed.
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Applied and visible on the store's own connection, but neither committed nor acknowledged on disk.
      expect((await store.collection('placed').find()).total).toBe(2);
      expect(committedDocs()).toBe(0);
      expect(savedOffsets()).toBe(0);
      // Saving the offsets commits the documents first.
      await bus.sync();
      expect(committedDocs()).toBe(2);
      expect(savedOffsets()).toBe(2);
    } finally {
      await consumer.stop();
      await bus.close();
      await store.close();
    }
  });
});
