import { CommandContext, CommandHandler, conflict, Decider, SqliteEventStore, WrongExpectedVersionError } from '@lp/eventsourcing';

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

  it('lets exactly one of two concurrent commands on a stream win; the other gets WrongExpectedVersionError', async () => {
    const handler = new CommandHandler(store, counter);
    await handler.handle('counter-1', { type: 'Increment', by: 1 }, context);
    const outcomes = await Promise.allSettled([
      new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 1 }, context),
      new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 1 }, context),
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
});
