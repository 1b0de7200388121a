import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Database from 'better-sqlite3';
import { textSearch } from '../src/list-query';
import { DomainEvent } from '@lp/eventsourcing';
import { anEvent } from '@lp/testing';
import { defineProjection } from '../src/projection';
import { ProjectionRunner } from '../src/projection-runner';
import { sourceOf } from '../src/source-version';
import { ReadDocument, ReadStore } from '../src/read-store';
import { InMemoryEventStore } from './support/in-memory-event-store';
import { SqliteReadStore, SqliteReadStoreOptions } from '../src/sqlite/sqlite-read-store';

type Row = ReadDocument & { status?: string; events?: number; lines?: string[] };

/**
 * A blue/green rebuild fills a version nobody reads yet: SqliteReadStore holds its documents and
 * checkpoint in memory (HeldFill) and writes them once in a while. What is on disk is read here
 * through a second connection, as the next process would find it after a crash.
 */
describe('SqliteReadStore: a version being filled holds its writes', () => {
  let dir: string;
  let filename: string;
  let store: SqliteReadStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lp-held-fill-'));
    filename = join(dir, 'read-models.sqlite');
  });
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (options: Partial<SqliteReadStoreOptions> = {}) => (store = SqliteReadStore.open({ filename, ...options }));
  /** What a process that starts now finds on disk: the checkpoint and the documents of version 1 (or `version`). */
  const onDisk = (version = 1) => {
    const [key, docsTable] = version === 0 ? ['p', 'docs:rows'] : [`p@v${version}`, `docs:rows@v${version}`];
    const db = new Database(filename, { readonly: true });
    try {
      const checkpoint = db.prepare<[string], { position: number }>('SELECT position FROM read_checkpoints WHERE key = ?').get(key)?.position;
      const table = db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(docsTable);
      const docs = table ? db.prepare<[], { doc: string }>(`SELECT json(doc) AS doc FROM "${docsTable}" ORDER BY id`).all().map((row) => JSON.parse(row.doc) as Row) : [];
      return { checkpoint, docs };
    } finally {
      db.close();
    }
  };
  const nextTick = () => new Promise((resolve) => setImmediate(resolve));
  /** One event of stream `row-<id>` at `revision`, then its position as the rebuild's checkpoint. */
  const project = async (version: ReadStore, id: string, revision: number, position: number) => {
    await version.collection<Row>('rows').apply(id, { streamId: `row-${id}`, revision }, (current) => ({ id, events: (current?.events ?? 0) + 1 }));
    await version.saveCheckpoint('p', position);
  };

  it('writes neither documents nor checkpoint while filling, and both once read, in one go', async () => {
    open();
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    for (let n = 0; n < 30; n++) await project(v1, `r${n % 3}`, Math.floor(n / 3), n + 1);
    await nextTick();
    expect(onDisk()).toEqual({ checkpoint: undefined, docs: [] });
    // What the fill holds answers its own reads and its checkpoint.
    expect(await v1.collection<Row>('rows').get('r1')).toEqual({ id: 'r1', events: 10 });
    expect(await v1.loadCheckpoint('p')).toBe(30);

    expect((await v1.collection<Row>('rows').find()).total).toBe(3);
    await store.flush();
    expect(onDisk()).toEqual({ checkpoint: 30, docs: [1, 2, 3].map((n) => ({ id: `r${n - 1}`, events: 10 })) });
  });

  it('after a crash, the checkpoint on disk is never past the documents it covers', async () => {
    open({ heldFill: { flushAfterDocuments: 4 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    const docs = 7;
    for (let position = 1; position <= 60; position++) {
      const n = position - 1;
      await project(v1, `r${n % docs}`, Math.floor(n / docs), position);
      await nextTick();
      const { checkpoint = 0, docs: written } = onDisk();
      // Every event up to the checkpoint is in the documents written (events of r_k: those at positions ≡ k).
      for (let k = 0; k < docs; k++) {
        const covered = checkpoint >= k + 1 ? Math.floor((checkpoint - k - 1) / docs) + 1 : 0;
        expect(written.find((doc) => doc.id === `r${k}`)?.events ?? 0).toBeGreaterThanOrEqual(covered);
      }
    }
    // And something was written on the way: the fill wrote when enough documents had changed.
    expect(onDisk().checkpoint).toBeGreaterThan(0);
  });

  it('leaves what it holds to its own writes when a bus consumer commits with flush() or sync()', async () => {
    open();
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    await project(v1, 'r1', 0, 1);
    await store.flush();
    await store.sync();
    expect(onDisk()).toEqual({ checkpoint: undefined, docs: [] });
  });

  it('writes a version through when not asked to hold it, as a bus projection rebuilds', async () => {
    open();
    const v1 = store.atVersion('p', ['rows'], 1);
    await project(v1, 'r1', 0, 1);
    await store.flush();
    expect(onDisk()).toEqual({ checkpoint: 1, docs: [{ id: 'r1', events: 1 }] });
  });

  it('writes after flushAfterMs without any read', async () => {
    open({ heldFill: { flushAfterMs: 20 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    await project(v1, 'r1', 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(onDisk()).toEqual({ checkpoint: 1, docs: [{ id: 'r1', events: 1 }] });
  });

  it('writes what changed longest ago once enough have changed, and holds what is still changing', async () => {
    open({ heldFill: { flushAfterDocuments: 4 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    await project(v1, 'a', 0, 1);
    await project(v1, 'b', 0, 2);
    await project(v1, 'c', 0, 3);
    // The fourth changed document: the older half (a, b) is written, c and d stay held.
    await project(v1, 'd', 0, 4);
    await project(v1, 'c', 1, 5);
    await project(v1, 'd', 1, 6);
    await nextTick();
    // The checkpoint written is the one saved before c first changed: events 3 and on are replayed after a crash.
    expect(onDisk()).toEqual({ checkpoint: 2, docs: [{ id: 'a', events: 1 }, { id: 'b', events: 1 }] });
    await v1.collection<Row>('rows').find();
    await nextTick();
    expect(onDisk().checkpoint).toBe(6);
  });

  it('writes each row once when its stream is applied before the next streams fill the held documents', async () => {
    open({ heldFill: { flushAfterDocuments: 8 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    // Waves of 4 streams, their 3 events each interleaved, as a rebuild reads orders placed side by side.
    let position = 0;
    for (let wave = 0; wave < 5; wave++) {
      for (let revision = 0; revision < 3; revision++) {
        for (let k = 0; k < 4; k++) await project(v1, `w${wave}-${k}`, revision, ++position);
      }
    }
    await v1.collection<Row>('rows').find();
    await nextTick();
    const db = new Database(filename, { readonly: true });
    try {
      const { written } = db.prepare<[], { written: number }>(`SELECT written FROM read_writes WHERE collection = 'rows@v1'`).get()!;
      expect(written).toBe(20);
    } finally {
      db.close();
    }
    expect(onDisk().docs).toHaveLength(20);
  });

  describe('on a clock', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance'] }));
    afterEach(() => jest.useRealTimers());
    const ticks = async () => {
      for (let n = 0; n < 5; n++) await nextTick();
    };

    it('writes what changed flushAfterMs ago, and holds what changed since', async () => {
      open({ heldFill: { flushAfterMs: 1_000 } });
      const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
      await project(v1, 'a', 0, 1);
      jest.advanceTimersByTime(600);
      await project(v1, 'b', 0, 2);
      jest.advanceTimersByTime(400);
      await ticks();
      expect(onDisk()).toEqual({ checkpoint: 1, docs: [{ id: 'a', events: 1 }] });
      jest.advanceTimersByTime(600);
      await ticks();
      expect(onDisk()).toEqual({ checkpoint: 2, docs: [{ id: 'a', events: 1 }, { id: 'b', events: 1 }] });
    });
  });

  it('once promoted, the version is written through as any live one', async () => {
    open();
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    await project(v1, 'r1', 0, 1);
    await store.promote('p', ['rows'], 1);
    expect(onDisk()).toEqual({ checkpoint: 1, docs: [{ id: 'r1', events: 1 }] });
    await store.collection<Row>('rows').apply('r2', { streamId: 'row-r2', revision: 0 }, () => ({ id: 'r2', events: 1 }));
    await store.saveCheckpoint('p', 2);
    await nextTick();
    expect(onDisk()).toEqual({ checkpoint: 2, docs: [{ id: 'r1', events: 1 }, { id: 'r2', events: 1 }] });
  });

  it('keeps applying each event once when it dropped unchanged documents to stay within keptDocuments', async () => {
    open({ heldFill: { flushAfterDocuments: 2, keptDocuments: 2 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    const rows = v1.collection<Row>('rows');
    for (let n = 0; n < 12; n++) await project(v1, `r${n % 4}`, Math.floor(n / 4), n + 1);
    // A redelivered event (a restart from an older checkpoint) is skipped whether held or read again.
    for (let n = 0; n < 12; n++) {
      expect(await rows.apply(`r${n % 4}`, { streamId: `row-r${n % 4}`, revision: Math.floor(n / 4) }, () => ({ id: 'x' }))).toBe(false);
    }
    expect((await rows.find()).items).toEqual([0, 1, 2, 3].map((k) => ({ id: `r${k}`, events: 3 })));
  });

  it('leaves a held document as it was when a change sets its fields and then throws', async () => {
    open();
    const rows = store.atVersion('p', ['rows'], 1, { holdWrites: true }).collection<Row>('rows');
    await rows.apply('r1', { streamId: 'row-r1', revision: 0 }, () => ({ id: 'r1', status: 'NEW' }));
    const failing = rows.apply('r1', { streamId: 'row-r1', revision: 1 }, (current) => {
      current!.status = 'HALF';
      throw new Error('the projection failed');
    });
    await expect(failing).rejects.toThrow('the projection failed');
    expect(await rows.get('r1')).toEqual({ id: 'r1', status: 'NEW' });
    expect(await rows.apply('r1', { streamId: 'row-r1', revision: 1 }, (current) => ({ ...current!, status: 'DONE' }))).toBe(true);
    expect((await rows.find()).items).toEqual([{ id: 'r1', status: 'DONE' }]);
  });

  it('stores what the change returned, not what its caller did to that object afterwards, once written', async () => {
    open();
    const rows = store.atVersion('p', ['rows'], 1, { holdWrites: true }).collection<Row>('rows');
    const returned: Row = { id: 'r1', lines: ['a'] };
    await rows.apply('r1', { streamId: 'row-r1', revision: 0 }, () => returned);
    // A read writes what is held.
    await rows.find();
    returned.lines!.push('b');
    expect(await rows.get('r1')).toEqual({ id: 'r1', lines: ['a'] });
  });

  it('writes nothing of what it held for a version that was reset, and no checkpoint of it', async () => {
    open();
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    await project(v1, 'r1', 0, 1);
    await v1.reset('p', ['rows']);
    // A read writes whatever is still held, committed at the end of the tick.
    await v1.collection<Row>('rows').find();
    await nextTick();
    expect(onDisk()).toEqual({ checkpoint: undefined, docs: [] });
    expect(await v1.loadCheckpoint('p')).toBeUndefined();
  });

  it('keeps the totals and the text index of a filled version true once they are made', async () => {
    open({ heldFill: { flushAfterDocuments: 1 } });
    const v1 = store.atVersion('p', ['rows'], 1, { holdWrites: true });
    const rows = v1.collection<Row>('rows');
    await rows.apply('r1', { streamId: 'row-r1', revision: 0 }, () => ({ id: 'r1', status: 'NEW', subject: 'alpha order' }) as Row);
    await v1.ensureTextIndex!('rows', ['subject']);
    await v1.ensureCount!('rows', { status: 'NEW' });
    // Written through flushes now that the index and the total exist: each sees what the row held before.
    await rows.apply('r1', { streamId: 'row-r1', revision: 1 }, (current) => ({ ...current!, status: 'OLD', subject: 'beta order' }) as Row);
    await rows.apply('r2', { streamId: 'row-r2', revision: 0 }, () => ({ id: 'r2', status: 'NEW', subject: 'alpha again' }) as Row);
    expect((await rows.find({ filter: { status: 'NEW' }, limit: 0 })).total).toBe(1);
    const searched = await rows.find({ filter: textSearch('alpha', ['subject']), sort: { id: 1 } });
    expect(searched.items.map((row) => row.id)).toEqual(['r2']);
  });

  describe('a first fill (the live version, no checkpoint yet)', () => {
    it('holds its writes until end(), its own reads seeing them, and writes through afterwards', async () => {
      open();
      const fill = store.holdFirstFill('p', ['rows']);
      for (let n = 0; n < 6; n++) await project(store, `r${n % 2}`, Math.floor(n / 2), n + 1);
      await nextTick();
      expect(onDisk(0)).toEqual({ checkpoint: undefined, docs: [] });
      expect(await store.collection<Row>('rows').get('r0')).toEqual({ id: 'r0', events: 3 });
      await fill.end();
      await nextTick();
      expect(onDisk(0)).toEqual({ checkpoint: 6, docs: [{ id: 'r0', events: 3 }, { id: 'r1', events: 3 }] });
      await project(store, 'r2', 0, 7);
      await nextTick();
      expect(onDisk(0).checkpoint).toBe(7);
    });

    it('writes what was applied while its end was writing, before it lets go', async () => {
      open();
      const fill = store.holdFirstFill('p', ['rows']);
      await project(store, 'r1', 0, 1);
      const ending = fill.end();
      await project(store, 'r2', 0, 2);
      await ending;
      await nextTick();
      expect(onDisk(0)).toEqual({ checkpoint: 2, docs: [{ id: 'r1', events: 1 }, { id: 'r2', events: 1 }] });
    });

    it('is written by the time ProjectionRunner says it caught up, and live events go through after it', async () => {
      open();
      const eventStore = new InMemoryEventStore();
      const rowWritten = (id: string) => anEvent('RowWritten', { id });
      for (let n = 0; n < 5; n++) await eventStore.appendToStream(`row-r${n % 2}`, [rowWritten(`r${n % 2}`)]);
      const projection = defineProjection<DomainEvent<'RowWritten', { id: string }>>({
        name: 'p',
        collections: ['rows'],
        indexes: { rows: [{ events: -1 }] },
        on: {
          RowWritten: (event, target) =>
            target
              .collection<Row>('rows')
              .apply(event.data.id, sourceOf(event), (current) => ({ id: event.data.id, events: (current?.events ?? 0) + 1 }))
              .then(() => undefined),
        },
      });
      const runner = new ProjectionRunner({ eventStore, readStore: store, projection });
      try {
        await runner.start();
        await runner.caughtUp();
        await nextTick();
        expect(onDisk(0)).toEqual({ checkpoint: 5, docs: [{ id: 'r0', events: 3 }, { id: 'r1', events: 2 }] });
        await eventStore.appendToStream('row-r2', [rowWritten('r2')]);
        await runner.caughtUp();
        await nextTick();
        expect(onDisk(0)).toEqual({ checkpoint: 6, docs: [{ id: 'r0', events: 3 }, { id: 'r1', events: 2 }, { id: 'r2', events: 1 }] });
      } finally {
        await runner.stop();
      }
    });
  });
});
