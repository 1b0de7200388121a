import { EventStore } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { InMemoryReadStore, ReadStore } from '@lp/read-models';
import { BillingRuns } from '../../src/application/billing-runs';
import { BillingLineView, COLLECTIONS, KnownCustomerView } from '../../src/projections/views';
import { cancellation, line } from '../domain/lines';

const issuer = { name: 'ライセンス・ディストリビューション株式会社', registrationNumber: 'T1234567890123' };
const context = () => ({ actor: { id: 'test' }, correlationId: 'c', causationId: 'c', now: new Date('2026-07-01T00:00:00Z') });

/** BillingRuns against a real (in-memory SQLite) store and an in-memory read store, without the bus. */
describe('BillingRuns', () => {
  let store: SqliteEventStore;
  let readStore: ReadStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    readStore = new InMemoryReadStore();
    for (const customerId of ['c-1', 'c-2']) {
      const row: BillingLineView = {
        status: 'BILLING',
        line: line({ lineId: `l-${customerId}`, customerId, quantity: 3, startDate: '2026-07-01' }),
        contract: { contractNumber: 'NCN202607-0000000001', orderNumber: 'NOD202607-0000000001' },
        usage: [],
        id: `l-${customerId}`,
        customerId,
        resellerId: 'r-direct',
      };
      await readStore.collection<BillingLineView>(COLLECTIONS.lines).apply(row.id, { streamId: `billingLine-${row.id}`, revision: 0 }, () => row);
    }
    await readStore.collection<KnownCustomerView>(COLLECTIONS.customers).apply('c-1', { streamId: 'customer-c-1', revision: 0 }, () => ({ id: 'c-1', resellerId: 'r-direct', companyName: '既知株式会社' }));
  });
  afterEach(() => store.close?.());

  it('leaves a customer whose name has not arrived for a later run, and issues it then: an issued invoice never changes', async () => {
    const runs = new BillingRuns(store, readStore, issuer);
    const first = await runs.run('2026-07', context());
    expect(first.invoices.map((invoice) => [invoice.customerId, invoice.number, invoice.total])).toEqual([['c-1', 'INV202607-0000000001', 2871]]);
    expect(first.skipped).toEqual([{ customerId: 'c-2', reason: expect.stringContaining('CustomerRegistered') }]);

    await readStore.collection<KnownCustomerView>(COLLECTIONS.customers).apply('c-2', { streamId: 'customer-c-2', revision: 0 }, () => ({ id: 'c-2', resellerId: 'r-direct', companyName: '後着株式会社' }));
    const second = await runs.run('2026-07', context());
    expect(second.invoices.map((invoice) => [invoice.customerId, invoice.number])).toEqual([['c-2', 'INV202607-0000000002']]);
    expect(second.skipped).toEqual([]);
    // A third run: nothing left to issue, no number drawn.
    expect((await runs.run('2026-07', context())).invoices).toEqual([]);
    const next = await new BillingRuns(store, readStore, issuer).run('2026-08', context());
    expect(next.invoices.map((invoice) => invoice.number)).toEqual(['INV202608-0000000003', 'INV202608-0000000004']);
  });

  it('two runs of the same month at once issue each charge once', async () => {
    await readStore.collection<KnownCustomerView>(COLLECTIONS.customers).apply('c-2', { streamId: 'customer-c-2', revision: 0 }, () => ({ id: 'c-2', resellerId: 'r-direct', companyName: '後着株式会社' }));
    const [a, b] = await Promise.all([new BillingRuns(store, readStore, issuer).run('2026-07', context()), new BillingRuns(store, readStore, issuer).run('2026-07', context())]);
    const issued = [...a.invoices, ...b.invoices];
    expect(issued.map((invoice) => invoice.customerId).sort()).toEqual(['c-1', 'c-2']);
  });
});

/** Customers `c-00`… with a monthly line, an Azure line with June usage and (every third) software returned within its window. */
async function manyCustomers(readStore: ReadStore, count: number): Promise<void> {
  const lines = readStore.collection<BillingLineView>(COLLECTIONS.lines);
  for (let n = 0; n < count; n++) {
    const customerId = `c-${String(n).padStart(2, '0')}`;
    const rows: Pick<BillingLineView, 'line' | 'usage'>[] = [
      { line: line({ lineId: `${customerId}-e1`, customerId, quantity: 1 + (n % 7), startDate: `2026-06-${String(1 + (n % 28)).padStart(2, '0')}` }), usage: [] },
      {
        line: line({ lineId: `${customerId}-az`, customerId, sku: 'MS-AZURE-PLAN', productName: 'Azure プラン', unitPrice: 0, billingPolicy: 'microsoft-csp-usage', startDate: '2026-05-10' }),
        usage: [{ usageId: `u-${n}`, lineId: `${customerId}-az`, month: '2026-06', amount: 1000 + n, description: 'Azure 2026年6月' }],
      },
      ...(n % 3 === 0
        ? [
            {
              line: line({
                lineId: `${customerId}-sw`,
                customerId,
                sku: 'MS-WINSVR-STD',
                productName: 'Windows Server Standard',
                unitPrice: 120_000,
                billingPolicy: 'onprem-software',
                startDate: '2026-06-10',
                refundWindowDays: 30,
                cancellation: cancellation('2026-06-20', '2026-06-20'),
              }),
              usage: [],
            },
          ]
        : []),
    ];
    for (const row of rows) {
      const view: BillingLineView = { status: 'BILLING', contract: { contractNumber: `NCN202606-00000000${n}`, orderNumber: 'NOD202606-0000000001' }, id: row.line.lineId, customerId, resellerId: 'r-direct', ...row };
      await lines.apply(view.id, { streamId: `billingLine-${view.id}`, revision: 0 }, () => view);
    }
    await readStore.collection<KnownCustomerView>(COLLECTIONS.customers).apply(customerId, { streamId: `customer-${customerId}`, revision: 0 }, () => ({ id: customerId, resellerId: 'r-direct', companyName: `顧客${n}株式会社` }));
  }
}

type Issued = { type: string; data: { customerId: string; invoiceNumber?: string; creditNoteNumber?: string; lines: { chargeId: string; amount: number }[]; total: number; recipientName: string } };

/** Every document the store holds, as printed apart from its ids and number: per customer, in issue order. */
async function documentsIn(store: SqliteEventStore) {
  const events = (await store.readAll({ filter: { streamPrefixes: ['billingAccount-'] } })) as unknown as Issued[];
  return events
    .map(({ type, data }) => ({ type, customerId: data.customerId, recipientName: data.recipientName, total: data.total, lines: data.lines.map(({ chargeId, amount }) => ({ chargeId, amount })) }))
    .sort((a, b) => a.customerId.localeCompare(b.customerId));
}

async function numbersIn(store: SqliteEventStore): Promise<string[]> {
  const events = (await store.readAll({ filter: { streamPrefixes: ['billingAccount-'] } })) as unknown as Issued[];
  return events.map(({ data }) => (data.invoiceNumber ?? data.creditNoteNumber)!);
}

/** The store as seen by a process that dies after `appends` document appends: every later append fails, nothing half-written. */
function dyingAfter(store: SqliteEventStore, appends: number): EventStore {
  let documents = 0;
  let dead = false;
  const afterWriting = (streamIds: string[]) => {
    if (streamIds.some((streamId) => streamId.startsWith('billingAccount-')) && ++documents >= appends) dead = true;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          if (dead) throw new Error('the process died');
          const written = await target.appendToStream(...args);
          afterWriting([args[0]]);
          return written;
        };
      }
      // A document with its number claimed in the same commit (DocumentNumbers.claimNext).
      if (property === 'appendAtomically') {
        return async (build: Parameters<SqliteEventStore['appendAtomically']>[0]) => {
          if (dead) throw new Error('the process died');
          let streamIds: string[] = [];
          const written = await target.appendAtomically((context) => {
            const appends = build(context);
            streamIds = appends.map((append) => append.streamId);
            return appends;
          });
          afterWriting(streamIds);
          return written;
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

describe('BillingRuns over many customers side by side', () => {
  const CUSTOMERS = 40;
  let readStore: ReadStore;
  const stores: SqliteEventStore[] = [];
  const newStore = () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    stores.push(store);
    return store;
  };
  beforeEach(async () => {
    readStore = new InMemoryReadStore();
    await manyCustomers(readStore, CUSTOMERS);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('issues exactly the documents a run of one customer after another issues, and lists them in customer order', async () => {
    const [oneByOne, sideBySide] = [newStore(), newStore()];
    const sequential = await new BillingRuns(oneByOne, readStore, issuer, { concurrency: 1 }).run('2026-07', context());
    const parallel = await new BillingRuns(sideBySide, readStore, issuer, { concurrency: 16 }).run('2026-07', context());

    expect(sequential.invoices).toHaveLength(CUSTOMERS);
    expect(sequential.creditNotes).toHaveLength(Math.ceil(CUSTOMERS / 3));
    expect(await documentsIn(sideBySide)).toEqual(await documentsIn(oneByOne));
    const order = (documents: { customerId: string }[]) => documents.map((document) => document.customerId);
    expect(order(parallel.invoices)).toEqual(order(sequential.invoices));
    expect(order(parallel.invoices)).toEqual([...order(parallel.invoices)].sort());
    expect(order(parallel.creditNotes)).toEqual(order(sequential.creditNotes));
    expect(parallel.customers).toBe(CUSTOMERS);
    // Numbers drawn side by side are still each used once, from the same sequence.
    const numbers = await numbersIn(sideBySide);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort()).toEqual([...(await numbersIn(oneByOne))].sort());
  });

  it('a process dying with customers under way leaves each document whole or absent; the run after the restart issues the rest, each charge once', async () => {
    const store = newStore();
    const due = await documentsIn(await (async () => {
      const reference = newStore();
      await new BillingRuns(reference, readStore, issuer, { concurrency: 1 }).run('2026-07', context());
      return reference;
    })());

    await expect(new BillingRuns(dyingAfter(store, 12), readStore, issuer, { concurrency: 16 }).run('2026-07', context())).rejects.toThrow('the process died');
    const beforeRestart = await documentsIn(store);
    expect(beforeRestart.length).toBeGreaterThanOrEqual(12);
    expect(beforeRestart.length).toBeLessThan(due.length);

    const resumed = await new BillingRuns(store, readStore, issuer).run('2026-07', context());
    expect(resumed.invoices.length + resumed.creditNotes.length).toBe(due.length - beforeRestart.length);
    const after = await documentsIn(store);
    const charges = after.flatMap((document) => document.lines.map((charged) => charged.chargeId));
    expect(charges).toHaveLength(new Set(charges).size);
    expect([...charges].sort()).toEqual(due.flatMap((document) => document.lines.map((charged) => charged.chargeId)).sort());
    const numbers = await numbersIn(store);
    expect(new Set(numbers).size).toBe(numbers.length);

    // And once more: nothing.
    const again = await new BillingRuns(store, readStore, issuer).run('2026-07', context());
    expect([...again.invoices, ...again.creditNotes]).toEqual([]);
  });
});
