import { SqliteEventStore } from '@lp/eventsourcing';
import { InMemoryReadStore, ReadStore } from '@lp/read-models';
import { BillingRuns } from '../../src/application/billing-runs';
import { BillingLineView, COLLECTIONS, KnownCustomerView } from '../../src/projections/views';
import { line } from '../domain/lines';

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
