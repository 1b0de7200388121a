import { CommandContext, CommandHandler, Decider, DocumentNumbers, DomainError, EventStore, ruleViolation } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const context: CommandContext = {
  actor: { id: 'u-1', resellerId: 'r-direct' },
  correlationId: 'corr-1',
  causationId: 'req-1',
  now: new Date('2026-07-15T01:00:00.000Z'),
};

const stores: SqliteEventStore[] = [];
function contractNumbers() {
  const store = new SqliteEventStore({ filename: ':memory:' });
  stores.push(store);
  return { store, numbers: new DocumentNumbers(store, { prefix: 'NCN', document: 'contract', duplicateCode: 'DUPLICATE_CONTRACT_NUMBER' }) };
}
afterAll(async () => {
  for (const store of stores) await store.close();
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('DocumentNumbers', () => {
  it('formats prefix + yyyyMM of the business date + 10-digit sequence', async () => {
    const { numbers } = contractNumbers();
    await expect(numbers.next('2026-07-15', 'k-1', context)).resolves.toBe('NCN202607-0000000001');
  });

  it('grows and never reuses a number, also across months', async () => {
    const { numbers } = contractNumbers();
    const issued = [
      await numbers.next('2026-07-15', 'k-1', context),
      await numbers.next('2026-07-16', 'k-2', context),
      await numbers.next('2026-08-01', 'k-3', context),
    ];
    expect(issued).toEqual(['NCN202607-0000000001', 'NCN202607-0000000002', 'NCN202608-0000000003']);
  });

  it('gives concurrent requests distinct numbers', async () => {
    const { numbers } = contractNumbers();
    const issued = await Promise.all(Array.from({ length: 25 }, (_, i) => numbers.next('2026-07-15', `k-${i}`, context)));
    expect(new Set(issued).size).toBe(25);
  });

  it('refuses a number given by hand that is already taken, with the configured code', async () => {
    const { numbers } = contractNumbers();
    await numbers.reserve('NCN202107-0000003109', 'k-1', context);
    const error = await refusal(numbers.reserve('NCN202107-0000003109', 'k-2', context));
    expect(error).toMatchObject({ kind: 'conflict', code: 'DUPLICATE_CONTRACT_NUMBER' });
    expect(error.message).toContain('NCN202107-0000003109');
  });

  it('refuses a number given by hand that was issued automatically', async () => {
    const { numbers } = contractNumbers();
    const auto = await numbers.next('2026-07-15', 'k-1', context);
    await expect(refusal(numbers.reserve(auto, 'k-2', context))).resolves.toMatchObject({ code: 'DUPLICATE_CONTRACT_NUMBER' });
  });

  it('an automatic number skips one already taken by hand', async () => {
    const { numbers } = contractNumbers();
    await numbers.reserve('NCN202607-0000000001', 'k-manual', context);
    await expect(numbers.next('2026-07-15', 'k-1', context)).resolves.toBe('NCN202607-0000000002');
  });

  it('writes the sequence and reservation streams named after the document, with metadata', async () => {
    const { store, numbers } = contractNumbers();
    await numbers.next('2026-07-15', 'k-1', context);
    const [advanced] = await store.readStream('contractNumberSequence');
    expect(advanced).toMatchObject({ type: 'ContractNumberSequenceAdvanced', data: { contractId: 'k-1' }, correlationId: 'corr-1' });
    const [reserved] = await store.readStream(numbers.reservationStream('NCN202607-0000000001'));
    expect(reserved.streamId).toBe('contractNumber-NCN202607-0000000001');
    expect(reserved).toMatchObject({
      type: 'ContractNumberReserved',
      data: { contractNumber: 'NCN202607-0000000001', contractId: 'k-1', reservationId: expect.any(String) },
    });
  });

  it("keeps the order numbers' streams and events as they were before the generalisation", async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    stores.push(store);
    const orders = new DocumentNumbers(store, { prefix: 'NOD', document: 'order', duplicateCode: 'DUPLICATE_ORDER_NUMBER' });
    await expect(orders.next('2021-07-01', 'o-1', context)).resolves.toBe('NOD202107-0000000001');
    expect(await store.readStream('orderNumberSequence')).toMatchObject([{ type: 'OrderNumberSequenceAdvanced', data: { orderId: 'o-1' } }]);
    expect(await store.readStream('orderNumber-NOD202107-0000000001')).toMatchObject([
      { type: 'OrderNumberReserved', data: { orderNumber: 'NOD202107-0000000001', orderId: 'o-1' } },
    ]);
    await expect(refusal(orders.reserve('NOD202107-0000000001', 'o-2', context))).resolves.toMatchObject({
      kind: 'conflict',
      code: 'DUPLICATE_ORDER_NUMBER',
      message: 'Order number NOD202107-0000000001 is already used',
    });
  });

  it('refuses a prefix that is not three capital letters', () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    stores.push(store);
    expect(() => new DocumentNumbers(store, { prefix: 'nc', document: 'contract', duplicateCode: 'X' })).toThrow(/three capital letters/);
  });
});

/** A numbered document: created once, with its number; `refuse` makes the decider refuse it. */
type Create = { type: 'Create'; number: string; refuse?: boolean };
type Created = { type: 'Created'; data: { number: string } };
const documents: Decider<Create, Created, { number?: string }> = {
  initialState: () => ({}),
  decide: (command, state) => {
    if (command.refuse) throw ruleViolation('REFUSED', 'refused');
    return state.number ? [] : [{ type: 'Created', data: { number: command.number } }];
  },
  evolve: (_state, event) => ({ number: event.data.number }),
};
const withNumber = (command: Create, number: string): Create => ({ ...command, number });

/** The same SQLite store seen through the port without appendAtomically, as EventStoreDB is. */
function oneStreamPerAppend(store: SqliteEventStore): EventStore {
  return {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    readCausedBy: (causationId) => store.readCausedBy(causationId),
    subscribeToAll: (...args) => store.subscribeToAll(...args),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}

describe.each([
  ['in the document\'s own commit (a store that appends atomically)', (store: SqliteEventStore): EventStore => store],
  ['before the document (a store that appends one stream at a time)', oneStreamPerAppend],
])('DocumentNumbers claims, %s', (_name, portOf) => {
  function setUp() {
    const sqlite = new SqliteEventStore({ filename: ':memory:' });
    stores.push(sqlite);
    const store = portOf(sqlite);
    const numbers = new DocumentNumbers(store, { prefix: 'NCN', document: 'contract', duplicateCode: 'DUPLICATE_CONTRACT_NUMBER' });
    const handler = new CommandHandler(store, documents);
    const create = (id: string, options: { given?: string; refuse?: boolean } = {}) =>
      handler.handle(`doc-${id}`, { type: 'Create', number: '', refuse: options.refuse }, context, {
        claim: options.given ? numbers.claimGiven(options.given, id, context, withNumber) : numbers.claimNext('2026-07-15', id, context, withNumber),
      });
    return { sqlite, numbers, create };
  }
  const numberOf = async (sqlite: SqliteEventStore, id: string) => ((await sqlite.readStream(`doc-${id}`))[0]?.data as { number: string } | undefined)?.number;

  it('writes the sequence, the reservation and the document with its number, in that order', async () => {
    const { sqlite, create } = setUp();
    const { events } = await create('k-1');
    expect(events).toMatchObject([{ type: 'Created', data: { number: 'NCN202607-0000000001' } }]);
    expect((await sqlite.readAll()).map((e) => [e.streamId, e.type])).toEqual([
      ['contractNumberSequence', 'ContractNumberSequenceAdvanced'],
      ['contractNumber-NCN202607-0000000001', 'ContractNumberReserved'],
      ['doc-k-1', 'Created'],
    ]);
  });

  it('gives concurrent documents distinct numbers, without gaps', async () => {
    const { sqlite, create } = setUp();
    await Promise.all(Array.from({ length: 25 }, (_, i) => create(`k-${i}`)));
    const numbers = await Promise.all(Array.from({ length: 25 }, (_, i) => numberOf(sqlite, `k-${i}`)));
    expect([...numbers].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `NCN202607-${String(i + 1).padStart(10, '0')}`));
  });

  it('uses up no number for a refused document', async () => {
    const { sqlite, create } = setUp();
    await expect(create('k-refused', { refuse: true })).rejects.toMatchObject({ code: 'REFUSED' });
    await create('k-1');
    expect(await numberOf(sqlite, 'k-1')).toBe('NCN202607-0000000001');
    expect(await sqlite.readStream('contractNumberSequence')).toHaveLength(1);
  });

  it('skips a number already taken by hand', async () => {
    const { sqlite, create } = setUp();
    await create('k-manual', { given: 'NCN202607-0000000001' });
    await create('k-1');
    expect(await numberOf(sqlite, 'k-1')).toBe('NCN202607-0000000002');
  });

  it('uses up one number for a document whose append lost a race and was retried', async () => {
    const { sqlite, numbers } = setUp();
    const handler = new CommandHandler(portOf(sqlite), documents);
    let raced = false;
    await handler.handle(
      'doc-k-1',
      async () => {
        // Another writer appends to the document's stream after it was loaded, once.
        if (!raced) await sqlite.appendToStream('doc-k-1', [{ ...context, eventId: `e-${Date.now()}`, type: 'Touched', data: {}, schemaVersion: 1, occurredAt: context.now.toISOString() }]);
        raced = true;
        return { type: 'Create', number: '' };
      },
      context,
      { claim: numbers.claimNext('2026-07-15', 'k-1', context, withNumber) },
    );
    expect(await sqlite.readStream('contractNumberSequence')).toHaveLength(1);
    expect((await sqlite.readStream('doc-k-1')).map((e) => e.data)).toEqual([{}, { number: 'NCN202607-0000000001' }]);
  });

  it('refuses a number given by hand that is taken, and writes nothing of that document', async () => {
    const { sqlite, create } = setUp();
    await create('k-1');
    await expect(create('k-2', { given: 'NCN202607-0000000001' })).rejects.toMatchObject({ kind: 'conflict', code: 'DUPLICATE_CONTRACT_NUMBER' });
    expect(await sqlite.readStream('doc-k-2')).toEqual([]);
  });
});

describe('DocumentNumbers claims in the document\'s own commit', () => {
  it('give distinct numbers across replicas writing to the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbers-'));
    const replicas = [0, 1].map(() => new SqliteEventStore({ filename: join(dir, 'events.db') }));
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const store = replicas[i % 2];
        const numbers = new DocumentNumbers(store, { prefix: 'NCN', document: 'contract', duplicateCode: 'DUPLICATE_CONTRACT_NUMBER' });
        return new CommandHandler(store, documents).handle(`doc-k-${i}`, { type: 'Create', number: '' }, context, {
          claim: numbers.claimNext('2026-07-15', `k-${i}`, context, withNumber),
        });
      }),
    );
    const issued = created.map(({ state }) => state.number);
    expect(new Set(issued).size).toBe(20);
    expect((await replicas[0].readStream('contractNumberSequence')).map((e) => e.streamRevision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await Promise.all(replicas.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('make a numbered document one commit of the store', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    stores.push(store);
    const numbers = new DocumentNumbers(store, { prefix: 'NCN', document: 'contract', duplicateCode: 'DUPLICATE_CONTRACT_NUMBER' });
    const oneStream = jest.spyOn(store, 'appendToStream');
    const atomic = jest.spyOn(store, 'appendAtomically');
    await new CommandHandler(store, documents).handle('doc-k-1', { type: 'Create', number: '' }, context, {
      claim: numbers.claimNext('2026-07-15', 'k-1', context, withNumber),
    });
    expect(oneStream).not.toHaveBeenCalled();
    expect(atomic).toHaveBeenCalledTimes(1);
  });
});
