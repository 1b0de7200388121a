import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RecordedEvent, RetryPolicy } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { CheckpointCommitter, CheckpointedSubscription, CheckpointedSubscriptionOptions } from '@lp/messaging';
import { anEvent } from '@lp/testing';

describe('CheckpointCommitter: the checkpoint is the low-water mark of finished work', () => {
  it('never passes an unfinished event, whatever finishes first, and passes skipped events once earlier work is done', async () => {
    const written: number[] = [];
    const committer = new CheckpointCommitter(0, async (position) => void written.push(position));
    const first = committer.begin(1);
    const second = committer.begin(2);
    committer.skip(3);
    committer.finish(second);
    await committer.written();
    expect(committer.position).toBe(0);
    committer.finish(first);
    await committer.written();
    expect(written).toEqual([3]);
  });

  it('writes a burst of commits once, at its newest position, and never two writes at once', async () => {
    const written: number[] = [];
    let writing = 0;
    let overlapped = false;
    let firstWriteStarted!: () => void;
    const firstWriteUnderWay = new Promise<void>((resolve) => (firstWriteStarted = resolve));
    const committer = new CheckpointCommitter(0, async (position) => {
      overlapped ||= ++writing > 1;
      firstWriteStarted();
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(position);
      writing--;
    });
    committer.skip(1);
    await firstWriteUnderWay;
    // The write of 1 is under way: the next 49 commits wait for it, then are written once.
    for (let position = 2; position <= 50; position++) committer.skip(position);
    await committer.written();
    expect(written).toEqual([1, 50]);
    expect(overlapped).toBe(false);
  });

  it('writes once for the work finished one after another in one turn of the event loop (a catch-up), at its newest position', async () => {
    const written: number[] = [];
    const committer = new CheckpointCommitter(0, async (position) => void written.push(position));
    // As a catch-up hands events over: each awaited in turn, so their work ends in separate microtasks.
    for (let position = 1; position <= 100; position++) {
      const work = committer.begin(position);
      await Promise.resolve();
      committer.finish(work);
      await Promise.resolve();
    }
    await committer.written();
    expect(written).toEqual([100]);
  });
});

describe('CheckpointedSubscription: the event store × a consumer × a checkpoint store × a retry policy', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'subscription-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (stream: string, type = 'Thing') => (await store.appendToStream(stream, [anEvent(type, { stream })])).position;
  const subscription = (consumer: CheckpointedSubscriptionOptions['consumer'], extra: Partial<CheckpointedSubscriptionOptions> = {}) =>
    new CheckpointedSubscription({
      name: 'test-subscription',
      kind: 'reactor',
      store,
      checkpoints: store.checkpoints(),
      eventTypes: ['Thing'],
      consumer,
      retryPolicy: new RetryPolicy({ initialDelayMs: 2, maxDelayMs: 2 }),
      whenCheckpointAhead: 'Remove the checkpoint.',
      ...extra,
    });

  it('ends with a failure its policy does not retry: done and caughtUp reject, the checkpoint stays before the failed event, a restart hands it over again', async () => {
    const before = await append('thing-1');
    const poison = await append('thing-2');
    let failing = true;
    const seen: number[] = [];
    const handle = async (event: RecordedEvent) => {
      if (failing && event.position === poison) throw new Error('refused by the decider');
      seen.push(event.position);
    };
    const first = subscription({ handle });
    await first.start();
    await expect(first.caughtUp()).rejects.toThrow('refused by the decider');
    await expect(first.done).rejects.toThrow('refused by the decider');
    expect(first.status.state).toBe('failed');
    await first.stop();
    expect(await store.checkpoints().load('test-subscription')).toBe(before);

    failing = false;
    const second = subscription({ handle });
    await second.start();
    await second.caughtUp();
    expect(seen).toEqual([before, poison]);
    expect(await store.checkpoints().load('test-subscription')).toBe(poison);
    await second.stop();
  });

  it('partitioned: a stop while one key retries keeps the checkpoint before it although later keys finished; the restart hands over only that event', async () => {
    const stuck = await append('thing-a');
    const other = await append('thing-b');
    const handled: string[] = [];
    const first = subscription(
      {
        partitionBy: (event) => event.streamId,
        handle: async (event) => {
          if (event.streamId === 'thing-a') throw new Error('vendor down');
          handled.push(event.streamId);
        },
      },
      { retryPolicy: new RetryPolicy({ initialDelayMs: 2, maxDelayMs: 2 }).forEveryFailure() },
    );
    await first.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(handled).toEqual(['thing-b']);
    expect(first.status.state).toBe('retrying');
    await first.stop();
    expect((await store.checkpoints().load('test-subscription')) ?? 0).toBeLessThan(stuck);

    const again: number[] = [];
    const second = subscription({ partitionBy: (event) => event.streamId, handle: async (event) => void again.push(event.position) });
    await second.start();
    await second.caughtUp();
    expect(again).toEqual([stuck, other]);
    await second.stop();
  });

  it('in batches: consecutive handled events together, in order, at most batchSize, and the checkpoint covers unhandled events after the last batch', async () => {
    for (let index = 0; index < 5; index++) await append(`thing-${index}`);
    const last = await append('thing-x', 'Unhandled');
    const batches: string[][] = [];
    const forwarding = subscription({ batchSize: 2, handleBatch: async (events) => void batches.push(events.map((event) => event.streamId)) });
    await forwarding.start();
    await forwarding.caughtUp();
    expect(batches.flat()).toEqual(['thing-0', 'thing-1', 'thing-2', 'thing-3', 'thing-4']);
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(2);
    expect(await store.checkpoints().load('test-subscription')).toBe(last);
    await forwarding.stop();
  });

  it('waits out an outage (a transient error) for ever under the default policy and moves on once it passes', async () => {
    const position = await append('thing-1');
    let outage = 3;
    const running = subscription({
      handle: async () => {
        if (outage-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
      },
    });
    await running.start();
    await running.caughtUp();
    expect(running.status.snapshot()).toMatchObject({ retries: 3, checkpoint: position });
    await running.stop();
  });
});
