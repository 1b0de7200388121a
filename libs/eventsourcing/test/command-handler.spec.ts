import { CommandContext, CommandHandler, conflict, contextCausedBy, Decider, EventStore, WrongExpectedVersionError } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';

type Counter = { count: number };
type Increment = { type: 'Increment'; by: number; max?: number };
type Incremented = { type: 'Incremented'; data: { by: number } };

const counter: Decider<Increment, Incremented, Counter> = {
  initialState: () => ({ count: 0 }),
  decide: (command, state) => {
    if (command.max !== undefined && state.count + command.by > command.max) throw conflict('TOO_MANY', 'over the max');
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
  evolve: (state, event) => ({ count: state.count + event.data.by }),
};

const context: CommandContext = { actor: { id: 'u-1', resellerId: 'r-direct' }, correlationId: 'corr-1', causationId: 'req-1', now: new Date('2026-05-15T00:00:00Z') };

describe('CommandHandler', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('appends the decided events with the envelope metadata and returns the new state', async () => {
    const handler = new CommandHandler(store, counter);
    const result = await handler.handle('counter-1', { type: 'Increment', by: 2 }, context);
    expect(result.state).toEqual({ count: 2 });
    expect(result.revision).toBe(0);
    const [event] = await store.readStream('counter-1');
    expect(event).toMatchObject({ type: 'Incremented', streamRevision: 0, correlationId: 'corr-1', causationId: 'req-1', actor: { id: 'u-1' }, occurredAt: '2026-05-15T00:00:00.000Z', schemaVersion: 1 });
  });

  it('sees what another writer appended since it last handled the stream (no stale cached state)', async () => {
    const first = new CommandHandler(store, counter);
    const second = new CommandHandler(store, counter);
    await first.handle('counter-1', { type: 'Increment', by: 1 }, context);
    await second.handle('counter-1', { type: 'Increment', by: 1 }, context);
    await expect(first.handle('counter-1', { type: 'Increment', by: 1, max: 2 }, context)).rejects.toMatchObject({ code: 'TOO_MANY' });
    expect((await first.handle('counter-1', { type: 'Increment', by: 5 }, context)).state).toEqual({ count: 7 });
  });

  it('without retries, lets exactly one of two concurrent commands on a stream win; the other gets WrongExpectedVersionError', async () => {
    const handler = new CommandHandler(store, counter);
    await handler.handle('counter-1', { type: 'Increment', by: 1 }, context);
    const outcomes = await Promise.allSettled([
      new CommandHandler(store, counter, { maxAttempts: 1 }).handle('counter-1', { type: 'Increment', by: 1 }, context),
      new CommandHandler(store, counter, { maxAttempts: 1 }).handle('counter-1', { type: 'Increment', by: 1 }, context),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('a refused command appends nothing, and the guard runs before the decider', async () => {
    const handler = new CommandHandler(store, counter);
    await expect(handler.handle('counter-1', { type: 'Increment', by: 3, max: 2 }, context)).rejects.toMatchObject({ code: 'TOO_MANY' });
    const guard = jest.fn(() => {
      throw new Error('not yours');
    });
    await expect(handler.handle('counter-1', { type: 'Increment', by: 1 }, context, { guard })).rejects.toThrow('not yours');
    expect(await store.readStream('counter-1')).toEqual([]);
  });

  describe('a version conflict', () => {
    /** A store on which another writer appends `by` just before each of the first `times` appends of the handler. */
    function raced(times: number, by = 1): { store: EventStore; appends: () => number } {
      let appends = 0;
      let races = 0;
      const other = new CommandHandler(store, counter);
      const racing: EventStore = Object.create(store);
      racing.appendToStream = async (streamId, events, options) => {
        appends++;
        if (races < times) {
          races++;
          await other.handle(streamId, { type: 'Increment', by }, { ...context, causationId: 'other' });
        }
        return store.appendToStream(streamId, events, options);
      };
      return { store: racing, appends: () => appends };
    }

    it('is retried: the handler reloads and decides again on the fresh state, and the command goes through', async () => {
      const { store: racing, appends } = raced(2);
      const result = await new CommandHandler(racing, counter).handle('counter-1', { type: 'Increment', by: 5 }, context);
      expect(appends()).toBe(3);
      expect(result.state).toEqual({ count: 7 });
      expect((await store.readStream('counter-1')).map((event) => event.causationId)).toEqual(['other', 'other', 'req-1']);
    });

    it('a retry that the fresh state refuses is refused: exactly one winner for a decision that changed', async () => {
      const { store: racing } = raced(1, 2);
      const handler = new CommandHandler(racing, counter);
      await expect(handler.handle('counter-1', { type: 'Increment', by: 1, max: 2 }, context)).rejects.toMatchObject({ code: 'TOO_MANY' });
      expect(await store.readStream('counter-1')).toHaveLength(1);
    });

    it('is retried a bounded number of times, then WrongExpectedVersionError (409) reaches the caller', async () => {
      const { store: racing, appends } = raced(10);
      const handler = new CommandHandler(racing, counter, { maxAttempts: 3 });
      await expect(handler.handle('counter-1', { type: 'Increment', by: 1 }, context)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(appends()).toBe(3);
      expect((await store.readStream('counter-1')).every((event) => event.causationId === 'other')).toBe(true);
    });
  });

  describe('an async step', () => {
    it('works the command out from the loaded state (a lookup after load) and runs again on a retry', async () => {
      await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 3 }, context);
      const seen: number[] = [];
      let raced = false;
      const handler = new CommandHandler(store, counter);
      const result = await handler.handle(
        'counter-1',
        async (state) => {
          seen.push(state.count);
          await new Promise((resolve) => setImmediate(resolve));
          if (!raced) {
            raced = true;
            await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 1 }, context);
          }
          return { type: 'Increment', by: state.count };
        },
        context,
      );
      expect(seen).toEqual([3, 4]);
      expect(result.state).toEqual({ count: 8 });
    });

    it('check refuses a draft before anything irreversible happens; undefined decides nothing', async () => {
      const handler = new CommandHandler(store, counter);
      const drawn = jest.fn();
      await expect(
        handler.handle('counter-1', (_state, { check }) => {
          check({ type: 'Increment', by: 5, max: 2 });
          drawn();
          return { type: 'Increment', by: 5 };
        }, context),
      ).rejects.toMatchObject({ code: 'TOO_MANY' });
      expect(drawn).not.toHaveBeenCalled();
      const nothing = await handler.handle('counter-1', () => undefined, context);
      expect(nothing).toEqual({ state: { count: 0 }, events: [], revision: -1 });
      expect(await store.readStream('counter-1')).toEqual([]);
    });

    it('runs after the guard', async () => {
      const step = jest.fn(() => ({ type: 'Increment' as const, by: 1 }));
      const guard = () => {
        throw new Error('not yours');
      };
      await expect(new CommandHandler(store, counter).handle('counter-1', step, context, { guard })).rejects.toThrow('not yours');
      expect(step).not.toHaveBeenCalled();
    });
  });

  it('contextCausedBy: a command caused by an event keeps its correlation, names the event as cause and the process as actor', () => {
    const now = new Date('2026-05-16T00:00:00Z');
    expect(contextCausedBy({ eventId: 'e-1', correlationId: 'corr-9' }, 'order-placed-reactor', now)).toEqual({
      actor: { id: 'order-placed-reactor' },
      correlationId: 'corr-9',
      causationId: 'e-1',
      now,
    });
  });
});
