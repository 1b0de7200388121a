import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RecordedEvent, RetryPolicy } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { StoreReactor, StoreReactorOptions } from '@lp/runtime';
import { anEvent } from '@lp/testing';

describe('StoreReactor: reacts to its own store, checkpointed at the low-water mark of finished work', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reactor-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (stream: string, type = 'Thing') => store.appendToStream(stream, [anEvent(type, { stream })]);
  const reactor = (handle: StoreReactorOptions['handle'], extra: Partial<StoreReactorOptions> = {}) =>
    new StoreReactor({
      name: 'test-reactor',
      store,
      checkpoints: store.checkpoints(),
      filter: { streamPrefixes: ['thing-'] },
      eventTypes: ['Thing'],
      handle,
      retryPolicy: new RetryPolicy({ initialDelayMs: 5, maxDelayMs: 5 }),
      ...extra,
    });

  it('hands over each event of its types once, in order, and resumes after a restart without repeating', async () => {
    const seen: string[] = [];
    await append('thing-1');
    await append('thing-2', 'Other');
    await append('other-1');
    let worker = reactor(async (event) => void seen.push(event.streamId));
    await worker.start();
    await append('thing-3');
    await worker.caughtUp();
    await worker.stop();
    await append('thing-4');
    worker = reactor(async (event) => void seen.push(event.streamId));
    await worker.start();
    await worker.caughtUp();
    await worker.stop();
    expect(seen).toEqual(['thing-1', 'thing-3', 'thing-4']);
  });

  it('refuses to start when its checkpoint is ahead of its store (the checkpoint belongs to another DATA_DIR)', async () => {
    await append('thing-1');
    await store.checkpoints().store('test-reactor', 500);
    const seen: string[] = [];
    await expect(reactor(async (event) => void seen.push(event.streamId)).start()).rejects.toThrow(
      /Reactor test-reactor: its checkpoint \(position 500\) is ahead of the event store's newest event \(position 1\)/,
    );
    expect(seen).toEqual([]);
  });

  it('retries a failing handler until it succeeds', async () => {
    let tries = 0;
    const worker = reactor(async () => {
      if (++tries < 3) throw new Error('vendor down');
    });
    await append('thing-1');
    await worker.start();
    await worker.caughtUp();
    await worker.stop();
    expect(tries).toBe(3);
  });

  it('with keys, a slow event does not hold back other keys, and the checkpoint never passes unfinished work', async () => {
    const finished: string[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const handle = async (event: RecordedEvent, signal: AbortSignal) => {
      if (event.streamId === 'thing-slow') {
        await Promise.race([slowGate, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
        if (signal.aborted) throw new Error('aborted');
      }
      finished.push(event.streamId);
    };
    await append('thing-slow');
    await append('thing-fast');
    const worker = reactor(handle, { keyOf: (event) => event.streamId });
    await worker.start();
    await waitUntil(() => finished.includes('thing-fast'));
    // A "crash" now: the slow event never finished.
    await worker.stop();
    expect(finished).toEqual(['thing-fast']);

    const replayed: string[] = [];
    const again = reactor(async (event) => void replayed.push(event.streamId), { keyOf: (event) => event.streamId });
    await again.start();
    await again.caughtUp();
    await again.stop();
    // The unfinished one comes back (at least once); nothing is lost.
    expect(replayed[0]).toBe('thing-slow');
    releaseSlow();
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
