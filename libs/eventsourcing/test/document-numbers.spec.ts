import { CommandContext, DocumentNumbers, DomainError } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';

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
