import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { PassThrough } from 'stream';
import type { StartedTestContainer } from 'testcontainers';
import { RecordedEvent } from '@lp/eventsourcing';
import { EventStoreDbCheckpointStore, EventStoreDbEventStore } from '@lp/eventsourcing/eventstoredb';
import { EventStoreDbSubscription } from '../src/eventstoredb/eventstoredb-subscription';
import { eventStoreContract } from './event-store.contract';

/**
 * The EventStore contract against a real EventStoreDB: the server at EVENTSTORE_URL
 * (e.g. esdb://127.0.0.1:2113?tls=false), else a throwaway container when a Docker engine answers,
 * else skipped with the reason. The contract uses random stream and type prefixes, so a shared
 * server with other data is fine.
 */
const url = process.env.EVENTSTORE_URL;
const docker = !url && dockerEngineAnswers();
const reason = url || docker ? undefined : 'EVENTSTORE_URL not set and no Docker engine: skipping EventStoreDB contract';

let container: StartedTestContainer | undefined;
let connection: Promise<string> | undefined;

if (reason) {
  console.warn(reason);
  describe.skip('EventStoreDbEventStore against EventStoreDB', () => {
    it(reason, () => undefined);
  });
} else {
  // Pulling and starting the image happens in the first test's beforeEach.
  jest.setTimeout(180_000);
  afterAll(async () => {
    await container?.stop();
  });

  eventStoreContract('EventStoreDbEventStore', async () => ({ store: EventStoreDbEventStore.fromConnectionString(await connectionString()) }), { appendsAtomically: false, countsAll: false });

  describe('EventStoreDbCheckpointStore', () => {
    it('keeps the last position per consumer', async () => {
      const store = EventStoreDbEventStore.fromConnectionString(await connectionString());
      const checkpoints = new EventStoreDbCheckpointStore(store.client);
      const consumer = `test-${randomUUID()}`;
      expect(await checkpoints.load(consumer)).toBeUndefined();
      await checkpoints.store(consumer, 42);
      await checkpoints.store(consumer, 43);
      expect(await checkpoints.load(consumer)).toBe(43);
      expect((await store.client.getStreamMetadata(`checkpoint-${consumer}`)).metadata?.maxCount).toBe(1);
      await store.close();
    });
  });
}

function connectionString(): Promise<string> {
  connection ??= url ? Promise.resolve(url) : startContainer();
  return connection;
}

async function startContainer(): Promise<string> {
  // Loaded only here, so that a machine without Docker never touches testcontainers.
  const { GenericContainer, Wait } = await import('testcontainers');
  container = await new GenericContainer('eventstore/eventstore:24.10')
    .withEnvironment({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_MEM_DB: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
    })
    .withExposedPorts(2113)
    // The port opens before the node is ready; /health/live answers 204 once it is.
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
    .withStartupTimeout(120_000)
    .start();
  return `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
}

function dockerEngineAnswers(): boolean {
  try {
    execSync('docker info', { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The delivery loop on its own, fed by a stand-in for the client's subscription stream, so its
 * ordering, stop and error behaviour is checked even where no server can run.
 */
describe('EventStoreDbSubscription (fake client stream)', () => {
  const resolved = (position: number): AllStreamResolvedEvent =>
    ({ event: { position: { commit: BigInt(position), prepare: BigInt(position) } } }) as unknown as AllStreamResolvedEvent;
  const convert = (r: AllStreamResolvedEvent) =>
    ({ position: Number(r.event!.position.commit) }) as RecordedEvent;
  const fakeSource = () => {
    const stream = new PassThrough({ objectMode: true }) as PassThrough & { unsubscribe: jest.Mock };
    stream.unsubscribe = jest.fn(async () => undefined);
    return stream;
  };
  const subscribe = (source: ReturnType<typeof fakeSource>, handler: (e: RecordedEvent) => unknown, head = () => 0, fromPosition = 0) =>
    new EventStoreDbSubscription({
      open: () => source as unknown as AllStreamSubscription,
      fromPosition,
      convert,
      handler: handler as (e: RecordedEvent) => Promise<void>,
      lastMatchingPositionAfter: async (floor) => (head() > floor ? head() : undefined),
    });

  it('awaits the handler in order, skips what is at or before the start, and resolves caughtUp at the head', async () => {
    const source = fakeSource();
    const seen: number[] = [];
    let head = 30;
    const subscription = subscribe(
      source,
      async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(e.position);
      },
      () => head,
      10,
    );
    [10, 20, 30].forEach((p) => source.write(resolved(p)));
    await subscription.caughtUp();
    expect(seen).toEqual([20, 30]);
    head = 40;
    const waiting = subscription.caughtUp();
    source.write(resolved(40));
    await waiting;
    expect(seen).toEqual([20, 30, 40]);
    await subscription.stop();
    expect(source.unsubscribe).toHaveBeenCalled();
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('stop() waits for the running handler and delivers nothing after it', async () => {
    const source = fakeSource();
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    const subscription = subscribe(source, async (e) => {
      seen.push(e.position);
      await blocked;
    });
    source.write(resolved(1));
    source.write(resolved(2));
    while (!seen.length) await new Promise((resolve) => setTimeout(resolve, 1));
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(seen).toEqual([1]);
  });

  it('rejects done with the handler error; a server error is not the end (see eventstoredb-resubscribe.spec.ts)', async () => {
    const first = fakeSource();
    const failing = subscribe(first, () => {
      throw new Error('handler failed');
    });
    first.write(resolved(1));
    await expect(failing.done).rejects.toThrow('handler failed');
  });
});
