import { EventEmitter } from 'events';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { RecordedEvent, RetryPolicy } from '@lp/eventsourcing';
import { EventStoreDbEventStore } from '@lp/eventsourcing/eventstoredb';
import { until } from '@lp/testing';
import { EventStoreDbSubscription } from '../src/eventstoredb/eventstoredb-subscription';

/** What the client's subscribeToAll returns, as far as the subscription uses it. */
class FakeStream extends EventEmitter {
  paused = false;
  unsubscribed = false;
  pause() {
    this.paused = true;
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  isPaused() {
    return this.paused;
  }
  async unsubscribe() {
    this.unsubscribed = true;
  }
}

/** A system event of the server ($-prefixed type and stream), as $all holds them among ours. */
interface SystemEntry {
  position: number;
  system: true;
}

const resolved = (entry: number | SystemEntry) => {
  const position = typeof entry === 'number' ? entry : entry.position;
  const system = typeof entry !== 'number';
  return resolvedEvent(position, system ? '$statsCollected' : 'OrderPlaced', system ? `$stats-${position}` : `order-${position}`);
};

const resolvedEvent = (position: number, type: string, streamId: string) => ({
  event: {
    id: `e-${position}`,
    type,
    streamId,
    revision: BigInt(0),
    isJson: true,
    data: { position },
    metadata: { schemaVersion: 2, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', causationId: 'c', actor: { id: 'u' } },
    created: new Date('2026-01-01T00:00:00.000Z'),
    position: { commit: BigInt(position), prepare: BigInt(position) },
  },
});

/** $all as a fake client serves it: subscribeToAll hands out the next prepared stream; readAll reads the log. */
function fakeClient(log: Array<number | SystemEntry>) {
  const opened: { fromPosition: unknown; stream: FakeStream }[] = [];
  const client = {
    subscribeToAll: (options: { fromPosition: unknown }) => {
      const stream = new FakeStream();
      opened.push({ fromPosition: options.fromPosition, stream });
      return stream;
    },
    readAll: (options: { direction: string; maxCount?: number }) => {
      const all = options.direction === 'backwards' ? [...log].reverse() : [...log];
      const picked = all.slice(0, options.maxCount ?? all.length).map(resolved);
      return Object.assign(
        (async function* () {
          yield* picked;
        })(),
        { cancel: async () => undefined },
      );
    },
  };
  return { client: client as unknown as EventStoreDBClient, opened };
}


const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('EventStoreDB subscription: resubscribes when the server drops it', () => {
  it('opens a new stream after the last handled position when the first errors mid-way, and delivers the rest once', async () => {
    const log = [10, 20, 30, 40];
    const { client, opened } = fakeClient(log);
    const store = new EventStoreDbEventStore(client);
    const handled: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({}, async (event) => void handled.push(event));
    const caughtUp = subscription.caughtUp();

    const first = opened[0].stream;
    first.emit('data', resolved(10));
    first.emit('data', resolved(20));
    await until(() => handled.length === 2);
    // The server restarts: gRPC UNAVAILABLE on the stream.
    first.emit('error', Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14, type: 'unavailable' }));
    await until(() => opened.length === 2);
    expect(opened[1].fromPosition).toEqual({ commit: BigInt(20), prepare: BigInt(20) });
    expect(first.unsubscribed).toBe(true);

    // The new stream starts at the position it was given (inclusive on the server): 20 again, then the rest.
    const second = opened[1].stream;
    for (const position of [20, 30, 40]) second.emit('data', resolved(position));
    await caughtUp;
    expect(handled.map((event) => event.position)).toEqual([10, 20, 30, 40]);
    // A late event from the dropped stream is ignored.
    first.emit('data', resolved(50));
    await tick();
    expect(handled).toHaveLength(4);
    await subscription.stop();
    expect(second.unsubscribed).toBe(true);
  });

  it('keeps resubscribing, with back-off, while the stream keeps ending; caughtUp() waits instead of answering at once', async () => {
    const streams: FakeStream[] = [];
    const retries: number[] = [];
    const handled: number[] = [];
    const subscription = new EventStoreDbSubscription({
      open: () => {
        const stream = new FakeStream();
        streams.push(stream);
        // Server still down: every new stream ends at once.
        if (streams.length < 4) setImmediate(() => stream.emit('end'));
        return stream as never;
      },
      fromPosition: 0,
      convert: (event) => ({ position: Number(event.event!.position!.commit) }) as RecordedEvent,
      handler: async (event) => void handled.push(event.position),
      lastMatchingPositionAfter: async (floor) => (floor < 7 ? 7 : undefined),
      retryPolicy: new RetryPolicy({ initialDelayMs: 5, maxDelayMs: 20 }),
      onResubscribe: (_error, attempt) => retries.push(attempt),
    });
    let caughtUp = false;
    void subscription.caughtUp().then(() => (caughtUp = true));
    await until(() => streams.length === 4);
    expect(retries).toEqual([1, 2, 3]);
    expect(caughtUp).toBe(false);
    streams[3].emit('data', resolved(7));
    await until(() => caughtUp);
    expect(handled).toEqual([7]);
    await subscription.stop();
  });

  it('still fails on a handler error (that is the subscriber\'s, not the server\'s)', async () => {
    const { client, opened } = fakeClient([1]);
    const store = new EventStoreDbEventStore(client);
    const subscription = store.subscribeToAll({}, async () => {
      throw new Error('projection bug');
    });
    opened[0].stream.emit('data', resolved(1));
    await expect(subscription.done).rejects.toThrow('projection bug');
    expect(opened).toHaveLength(1);
  });

  it('headPosition reads one event backwards from the end of $all', async () => {
    const { client } = fakeClient([3, 9, 12]);
    expect(await new EventStoreDbEventStore(client).headPosition()).toBe(12);
    expect(await new EventStoreDbEventStore(fakeClient([]).client).headPosition()).toBe(0);
  });

  it("headPosition passes over the server's system events, which no read or subscription of the store returns", async () => {
    const { client } = fakeClient([3, 9, { position: 12, system: true }, { position: 15, system: true }]);
    expect(await new EventStoreDbEventStore(client).headPosition()).toBe(9);
    expect(await new EventStoreDbEventStore(fakeClient([{ position: 4, system: true }]).client).headPosition()).toBe(0);
  });
});
