import { execSync } from 'child_process';
import mongoose from 'mongoose';
import type { StartedTestContainer } from 'testcontainers';
import { MongoReadStore } from '../src/mongo/mongo-read-store';
import { ReadDocument, Sort } from '../src/read-store';
import { readStoreContract } from './read-store.contract';

/**
 * The ReadStore contract against a real Mongo-wire server: MONGO_URL when set (e.g. from
 * `deploy/local/mongo.sh start`), else a mongo:7 container when a Docker engine answers, else skipped
 * so that `npx jest libs/read-models` stays green on machines with neither.
 */
function dockerAnswers(): boolean {
  try {
    execSync('docker info', { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const server = process.env.MONGO_URL ? 'url' : dockerAnswers() ? 'docker' : 'none';
// Straight to stderr, not console.warn: jest drops the console output of a file whose tests are all skipped.
if (server === 'none') process.stderr.write('MONGO_URL not set and no Docker engine: skipping MongoReadStore contract\n');
const describeWithMongo = server === 'none' ? describe.skip : describe;

describeWithMongo('MongoReadStore', () => {
  // One database per run, so runs against a shared server never see each other's documents.
  const dbName = `lp_read_store_test_${Date.now().toString(36)}_${process.pid}`;
  let url = process.env.MONGO_URL ?? '';
  let container: StartedTestContainer | undefined;

  beforeAll(async () => {
    if (server === 'docker') {
      const { GenericContainer, Wait } = await import('testcontainers');
      container = await new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forListeningPorts()).start();
      url = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}`;
    }
    // Fail every test at once with the driver's reason (e.g. an unreachable or too old server),
    // rather than each one after its own server-selection timeout.
    const probe = await mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
    await probe.close();
  }, 180_000);

  afterAll(async () => {
    if (url) {
      const connection = await mongoose.createConnection(url, { dbName }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
    await container?.stop();
  });

  readStoreContract('MongoReadStore', async () => ({ store: await MongoReadStore.connect(url, dbName), reopen: () => MongoReadStore.connect(url, dbName) }), {
    durable: true,
  });

  it('keeps its instance id for the life of its database, and a new database gets another (the bus projections\' consumer groups are named after it)', async () => {
    const first = await MongoReadStore.connect(url, dbName);
    const again = await MongoReadStore.connect(url, dbName);
    const otherDb = `${dbName}_other`;
    const other = await MongoReadStore.connect(url, otherDb);
    try {
      expect(first.instanceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(again.instanceId).toBe(first.instanceId);
      expect(other.instanceId).not.toBe(first.instanceId);
    } finally {
      await Promise.all([first.close(), again.close(), other.close()]);
      const connection = await mongoose.createConnection(url, { dbName: otherDb }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
  });

  let counter = 0;
  const unique = (base: string) => `${base}_${Date.now().toString(36)}_${++counter}`;

  describe('without transactions, under concurrency', () => {
    let store: MongoReadStore;

    beforeEach(async () => {
      store = await MongoReadStore.connect(url, dbName);
    });
    afterEach(async () => {
      await store.close();
    });

    type Customer = ReadDocument & { orders: string[] };

    it('lands every concurrent apply to one document from different streams (lost races retry)', async () => {
      const customers = store.collection<Customer>(unique('customers'));
      const streams = Array.from({ length: 10 }, (_, i) => `order-${i}`);
      let changes = 0;
      const addOrder = (order: string) => (current: Customer | undefined) => {
        changes++;
        return { id: 'c1', orders: [...(current?.orders ?? []), order] };
      };

      // All ten read before any writes, so all but one lose the insert and must retry, some more than once.
      const applied = await Promise.all(streams.map((stream) => customers.apply('c1', { streamId: stream, revision: 0 }, addOrder(stream))));

      expect(applied).toEqual(streams.map(() => true));
      expect((await customers.get('c1'))?.orders.sort()).toEqual([...streams].sort());
      expect(changes).toBeGreaterThan(streams.length);
    });

    it('lands the same event applied concurrently twice only once, on a new and on an existing document', async () => {
      const counters = store.collection<ReadDocument & { n: number }>(unique('counters'));
      const increment = (current: { id: string; n: number } | undefined) => ({ id: 'k', n: (current?.n ?? 0) + 1 });

      const created = await Promise.all([0, 1].map(() => counters.apply('k', { streamId: 'counter-k', revision: 0 }, increment)));
      expect(created.sort()).toEqual([false, true]);
      expect(await counters.get('k')).toEqual({ id: 'k', n: 1 });

      const updated = await Promise.all([0, 1].map(() => counters.apply('k', { streamId: 'counter-k', revision: 1 }, increment)));
      expect(updated.sort()).toEqual([false, true]);
      expect(await counters.get('k')).toEqual({ id: 'k', n: 2 });
    });
  });

  describe('the indexes projections declare (ensureIndexes)', () => {
    let store: MongoReadStore;
    let connection: mongoose.Connection;
    const notices: string[] = [];
    const indexesOf = async (name: string) =>
      (await connection.db!.collection(name).listIndexes().toArray()).map((index) => ({ name: index.name as string, key: index.key as object }));

    beforeEach(async () => {
      notices.length = 0;
      store = await MongoReadStore.connect(url, dbName, { notice: (message) => notices.push(message) });
      connection = await mongoose.createConnection(url, { dbName }).asPromise();
    });
    afterEach(async () => {
      await store.close();
      await connection.close();
    });

    it('creates one index per sort, with id (_id) as the last key, named as its own, and may run again', async () => {
      const name = unique('orders');
      const declared = [{ status: 1, orderDate: -1 }, { customer: 1 }, { amount: -1, id: -1 }] as const;
      await store.ensureIndexes(name, [...declared]);
      await store.ensureIndexes(name, [...declared]);

      expect(await indexesOf(name)).toEqual(
        expect.arrayContaining([
          { name: `read-store:${name}:status+,orderDate-,_id+`, key: { status: 1, orderDate: -1, _id: 1 } },
          { name: `read-store:${name}:customer+,_id+`, key: { customer: 1, _id: 1 } },
          { name: `read-store:${name}:amount-,_id-`, key: { amount: -1, _id: -1 } },
        ]),
      );
      expect(await indexesOf(name)).toHaveLength(4); // the three above and _id's own
    });

    it("drops the indexes it made once no projection declares them, and never an operator's", async () => {
      const name = unique('orders');
      await store.ensureIndexes(name, [{ status: 1, orderDate: -1 }, { customer: 1 }]);
      await connection.db!.collection(name).createIndex({ region: 1 }, { name: 'by_region' });

      // The next release declares a wider index in place of the first one.
      await store.ensureIndexes(name, [{ orderDate: -1, id: 1, status: 1 }, { customer: 1 }]);

      expect((await indexesOf(name)).map((index) => index.name).sort()).toEqual(
        ['_id_', 'by_region', `read-store:${name}:customer+,_id+`, `read-store:${name}:orderDate-,_id+,status+`].sort(),
      );
      expect(notices).toEqual([]);
    });

    it('lets an index an earlier release made on the same keys serve, and reports it once no projection declares it', async () => {
      const name = unique('orders');
      // Earlier releases let MongoDB name the index after its keys.
      await connection.db!.collection(name).createIndex({ status: 1, _id: 1 });
      await store.ensureIndexes(name, [{ status: 1 }]);
      expect(await indexesOf(name)).toEqual(expect.arrayContaining([{ name: 'status_1__id_1', key: { status: 1, _id: 1 } }]));
      expect(await indexesOf(name)).toHaveLength(2);

      await store.ensureIndexes(name, [{ customer: 1 }]);
      expect((await indexesOf(name)).map((index) => index.name).sort()).toEqual(['_id_', `read-store:${name}:customer+,_id+`, 'status_1__id_1']);
      expect(notices).toEqual([expect.stringContaining(`dropIndex("status_1__id_1")`)]);
    });

    describe('replicas of two releases side by side (a rolling update)', () => {
      const OLD: Sort[] = [{ status: 1, orderDate: -1 }];
      const NEW: Sort[] = [{ orderDate: -1, id: 1, status: 1 }];
      const oldIndex = (name: string) => `read-store:${name}:status+,orderDate-,_id+`;
      const newIndex = (name: string) => `read-store:${name}:orderDate-,_id+,status+`;
      const namesOf = async (name: string) => (await indexesOf(name)).map((index) => index.name).sort();
      let clock = 1_000_000;
      const replicas: MongoReadStore[] = [];
      const replica = async () => {
        const started = await MongoReadStore.connect(url, dbName, { notice: (message) => notices.push(message), indexRefresh: { staleAfterMs: 60_000, now: () => clock } });
        replicas.push(started);
        return started;
      };
      afterEach(async () => {
        for (const started of replicas.splice(0)) await started.close();
      });

      it("keeps the indexes the other release's running replicas declare, whichever starts last", async () => {
        const name = unique('orders');
        const oldReplica = await replica();
        await oldReplica.ensureIndexes(name, OLD);
        const newReplica = await replica();
        await newReplica.ensureIndexes(name, NEW);
        // An old replica restarting mid-update used to drop the new release's index, and the other way round.
        const restartedOld = await replica();
        await restartedOld.ensureIndexes(name, OLD);

        expect(await namesOf(name)).toEqual(['_id_', newIndex(name), oldIndex(name)].sort());
      });

      it("drops the other release's indexes once its last replica stopped renewing its claims", async () => {
        const name = unique('orders');
        const oldReplica = await replica();
        await oldReplica.ensureIndexes(name, OLD);
        const newReplica = await replica();
        await newReplica.ensureIndexes(name, NEW);

        await oldReplica.close(); // the update's last old replica stops
        clock += 30_000;
        await newReplica.refreshIndexes();
        expect(await namesOf(name)).toContain(oldIndex(name)); // its claim is 30 s old: a restart keeps its indexes

        clock += 31_000; // and now stale
        await newReplica.refreshIndexes();
        expect(await namesOf(name)).toEqual(['_id_', newIndex(name)].sort());
      });

      it('makes its declared indexes again when a replica of the other release dropped them', async () => {
        const name = unique('orders');
        const newReplica = await replica();
        await newReplica.ensureIndexes(name, NEW);
        await connection.db!.collection(name).dropIndex(newIndex(name));

        await newReplica.refreshIndexes();

        expect(await namesOf(name)).toEqual(['_id_', newIndex(name)].sort());
      });

      it('leaves a collection alone once it was dropped (a replaced version of a rebuild)', async () => {
        const name = unique('orders');
        const newReplica = await replica();
        await newReplica.ensureIndexes(name, NEW);
        await connection.db!.collection(name).drop();

        await newReplica.refreshIndexes();

        // Filtered here: mongo-java-server ignores listCollections' filter.
        const collections = (await connection.db!.listCollections().toArray()).map((collection) => collection.name);
        expect(collections).not.toContain(name);
      });
    });
  });
});
