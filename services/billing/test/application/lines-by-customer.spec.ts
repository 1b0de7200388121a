import mongoose from 'mongoose';
import { InMemoryReadStore, ReadStore } from '@lp/read-models';
import { MongoReadStore } from '@lp/read-models/mongo';
import { customersWithLines } from '../../src/application/lines-by-customer';
import { BillingLineView, COLLECTIONS } from '../../src/projections/views';
import { line } from '../domain/lines';

async function addLine(readStore: ReadStore, customerId: string, lineId: string): Promise<void> {
  const row: BillingLineView = {
    status: 'BILLING',
    line: line({ lineId, customerId }),
    contract: { contractNumber: 'NCN202607-0000000001', orderNumber: 'NOD202607-0000000001' },
    usage: [],
    id: lineId,
    customerId,
    resellerId: 'r-direct',
  };
  await readStore.collection<BillingLineView>(COLLECTIONS.lines).apply(lineId, { streamId: `billingLine-${lineId}`, revision: 0 }, () => row);
}

async function collect(readStore: ReadStore, pageSize: number) {
  const customers = [];
  for await (const customer of customersWithLines(readStore, pageSize)) customers.push({ ...customer, lines: customer.lines.map((row) => row.id) });
  return customers;
}

/** The in-memory read model always; MongoDB's (the standalone services') when MONGO_URL names a server, one fresh database per test. */
const mongoDatabases: string[] = [];
function openMongo(): Promise<ReadStore> {
  const dbName = `lp_billing_lines_${Date.now().toString(36)}_${process.pid}_${mongoDatabases.length}`;
  mongoDatabases.push(dbName);
  return MongoReadStore.connect(process.env.MONGO_URL!, dbName);
}
const stores: [string, () => Promise<ReadStore>][] = [['in memory', async () => new InMemoryReadStore()], ...(process.env.MONGO_URL ? [['MongoDB', openMongo] as [string, () => Promise<ReadStore>]] : [])];

afterAll(async () => {
  for (const dbName of mongoDatabases.splice(0)) {
    const connection = await mongoose.createConnection(process.env.MONGO_URL!, { dbName }).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
});

describe.each(stores)('customersWithLines (%s): every customer once, with all its lines, read in pages', (_name, open) => {
  let readStore: ReadStore;
  afterEach(() => readStore.close());
  beforeEach(async () => {
    readStore = await open();
    // Written out of order; c-b has more lines than a page, c-c's straddle pages.
    for (const [customerId, lineId] of [['c-c', 'l-9'], ['c-a', 'l-2'], ['c-b', 'l-5'], ['c-b', 'l-3'], ['c-a', 'l-1'], ['c-b', 'l-4'], ['c-b', 'l-6'], ['c-c', 'l-8'], ['c-b', 'l-7'], ['c-d', 'l-0']]) {
      await addLine(readStore, customerId, lineId);
    }
  });

  const expected = [
    { customerId: 'c-a', lines: ['l-1', 'l-2'] },
    { customerId: 'c-b', lines: ['l-3', 'l-4', 'l-5', 'l-6', 'l-7'] },
    { customerId: 'c-c', lines: ['l-8', 'l-9'] },
    { customerId: 'c-d', lines: ['l-0'] },
  ];

  it.each([1, 2, 3, 4, 10, 11, 500])('pages of %i lines give the same customers as one read', async (pageSize) => {
    expect(await collect(readStore, pageSize)).toEqual(expected);
  });

  it('no lines: no customers', async () => {
    const empty = await open();
    try {
      expect(await collect(empty, 3)).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});
