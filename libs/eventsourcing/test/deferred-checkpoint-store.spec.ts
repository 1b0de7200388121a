import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CheckpointStore } from '../src/event-store';
import { DeferredCheckpointStore } from '../src/deferred-checkpoint-store';
import { SqliteCheckpointStore } from '../src/sqlite/sqlite-checkpoint-store';

/** Counts the writes that reach the durable store, and can be made to fail like a full disk. */
class RecordingStore implements CheckpointStore {
  readonly positions = new Map<string, number>();
  writes = 0;
  failing?: Error;

  async load(consumerId: string) {
    return this.positions.get(consumerId);
  }

  async store(consumerId: string, position: number) {
    if (this.failing) throw this.failing;
    this.writes++;
    this.positions.set(consumerId, position);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeferredCheckpointStore', () => {
  it('answers the latest position at once and writes only the latest one, once per interval', async () => {
    const durable = new RecordingStore();
    const checkpoints = new DeferredCheckpointStore(durable, 20);
    for (let position = 1; position <= 100; position++) await checkpoints.store('forwarder', position);

    expect(await checkpoints.load('forwarder')).toBe(100);
    expect(durable.writes).toBe(0);
    await sleep(60);
    expect(durable.positions.get('forwarder')).toBe(100);
    expect(durable.writes).toBe(1);
  });

  it('flush() writes what is pending now, for every consumer', async () => {
    const durable = new RecordingStore();
    const checkpoints = new DeferredCheckpointStore(durable, 60_000);
    await checkpoints.store('a', 3);
    await checkpoints.store('b', 7);
    await checkpoints.flush();
    expect(Object.fromEntries(durable.positions)).toEqual({ a: 3, b: 7 });
  });

  it('keeps a position the durable store refused, tells the next caller, and writes it once the store is back', async () => {
    const durable = new RecordingStore();
    const checkpoints = new DeferredCheckpointStore(durable, 10);
    durable.failing = new Error('SQLITE_FULL: database or disk is full');
    await checkpoints.store('forwarder', 5);
    await expect(checkpoints.flush()).rejects.toThrow('SQLITE_FULL');
    expect(await checkpoints.load('forwarder')).toBe(5);
    await expect(checkpoints.store('forwarder', 6)).rejects.toThrow('SQLITE_FULL');

    durable.failing = undefined;
    await sleep(40);
    expect(durable.positions.get('forwarder')).toBe(6);
  });

  it('a restart after flush() resumes from the last position; one without resumes from an earlier one, never a later one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deferred-checkpoints-'));
    try {
      const file = join(dir, 'checkpoints.sqlite');
      const first = new SqliteCheckpointStore(file);
      const checkpoints = new DeferredCheckpointStore(first, 60_000);
      await checkpoints.store('reactor', 10);
      await checkpoints.flush();
      await checkpoints.store('reactor', 11); // the process dies before this one is written
      await first.close();

      const reopened = new SqliteCheckpointStore(file);
      expect(await new DeferredCheckpointStore(reopened).load('reactor')).toBe(10);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DeferredCheckpointStore before writing', () => {
  it('runs beforeWrite (the bus sync) before any position becomes durable, and writes nothing if it fails', async () => {
    const durable = new RecordingStore();
    const order: string[] = [];
    let syncFails = true;
    const checkpoints = new DeferredCheckpointStore(durable, 60_000, async () => {
      order.push(`sync (durable writes so far: ${durable.writes})`);
      if (syncFails) throw new Error('disk I/O error');
    });
    await checkpoints.store('forwarder', 9);
    await expect(checkpoints.flush()).rejects.toThrow('disk I/O error');
    expect(durable.positions.has('forwarder')).toBe(false);

    syncFails = false;
    await checkpoints.flush();
    expect(durable.positions.get('forwarder')).toBe(9);
    expect(order).toEqual(['sync (durable writes so far: 0)', 'sync (durable writes so far: 0)']);
  });
});
