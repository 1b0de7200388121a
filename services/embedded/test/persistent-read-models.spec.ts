import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { Projection } from '@lp/read-models';
import { freePort } from '../../../e2e/support/service-process';
import { billingServiceDefinition } from '@lp/billing';
import { contractServiceDefinition } from '@lp/contract';
import { orderServiceDefinition } from '@lp/order';
import { provisioningServiceDefinition } from '@lp/provisioning';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { createEmbeddedApp } from '../src/embedded-app';
import { asDirect, customerBody, Harness, readyCustomer } from './support/harness';

const definitions = [orderServiceDefinition, provisioningServiceDefinition, contractServiceDefinition, billingServiceDefinition];
const allProjections: Projection[] = definitions.flatMap((definition) => [...definition.projections, ...definition.busProjections.map((bus) => bus.projection)]);

describe('embedded read models: kept on disk with their checkpoints', () => {
  afterEach(() => jest.restoreAllMocks());

  it('a restart answers the same lists without projecting a single past event, own or from the bus', async () => {
    const h = await new Harness().start();
    try {
      const { customerId } = await readyCustomer(h);
      const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 2 }] }).expect(201)).body;
      await h.http().post(`/orders/${order.id}/accept`).expect(200);
      await h.settle();
      const before = { order: (await h.http().get(`/orders/${order.id}`).expect(200)).body, list: (await h.http().get('/orders').expect(200)).body };
      const applied = allProjections.map((projection) => jest.spyOn(projection, 'apply'));
      const reads = jest.spyOn(SqliteEventStore.prototype, 'readAll');

      await h.restart();
      await h.settle();

      expect(applied.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(0);
      // Nor is a past event read again: subscriptions start at their checkpoints, and readiness's store probe asks for the head.
      const read = await Promise.all(reads.mock.results.map((result) => result.value as Promise<unknown[]>));
      expect(read.flat()).toHaveLength(0);
      expect((await h.http().get(`/orders/${order.id}`).expect(200)).body).toEqual(before.order);
      expect((await h.http().get('/orders').expect(200)).body).toEqual(before.list);
      // Still following: a new event is projected by the own store's and the bus's consumers.
      await h.http().post('/customers', customerBody({ companyName: '再起動後の販売先' })).expect(201);
      await h.settle();
      const handled = (name: string) => applied[allProjections.findIndex((projection) => projection.name === name)].mock.calls.length;
      expect(handled('order-screens')).toBe(1);
      expect(handled('contract-known-orders')).toBe(1);
    } finally {
      await h.stop();
    }
  });
});

/** `npm start`'s main in a child process on `dataDir`, compiled on the fly (see support/run-ts.js). */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'support', 'run-ts.js'), join(__dirname, '..', 'src', 'main.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); Date.now() - started < 60_000; ) {
    if (child.exitCode !== null) throw new Error(`embedded child exited: ${output}`);
    const up = await fetch(`${baseUrl}/health/live`).then(
      () => true,
      () => false,
    );
    if (up) return { child, baseUrl };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`embedded child not listening after 60 s: ${output}`);
}

describe('embedded read models across a kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-read-models-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no acknowledged row, in the own lists nor in the copies other services keep from the bus', async () => {
    const { child, baseUrl } = await startChild(dataDir);
    const post = (n: number) =>
      fetch(`${baseUrl}/customers`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${asDirect}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(customerBody({ companyName: `強制終了試験 ${n}` })),
      }).then(
        async (response) => (response.status === 201 ? ((await response.json()) as { id: string }).id : undefined),
        () => undefined, // cut off by the kill
      );
    // Requests a few ms apart, killed while they are at every stage (projected or not, forwarded or not).
    const acknowledged: string[] = [];
    let killNow!: () => void;
    const killed = new Promise<void>((resolve) => (killNow = resolve));
    const inFlight = Array.from({ length: 60 }, (_, n) =>
      new Promise((resolve) => setTimeout(resolve, n * 3))
        .then(() => post(n))
        .then((id) => {
          if (id) acknowledged.push(id);
          if (acknowledged.length === 40) killNow();
        }),
    );
    await Promise.race([killed, Promise.all(inFlight)]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await Promise.all(inFlight);
    const answered = [...acknowledged];
    expect(answered.length).toBeGreaterThanOrEqual(40);

    const embedded = await createEmbeddedApp({ dataDir, logger: false, consoleDir: false });
    try {
      await embedded.settle();
      const listed = await request(embedded.app.getHttpServer()).get('/customers?pageSize=100').set('Authorization', `Bearer ${asDirect}`).expect(200);
      const listedIds = new Set((listed.body.items as Array<{ id: string }>).map((customer) => customer.id));
      expect(answered.filter((id) => !listedIds.has(id))).toEqual([]);
      const copies = [
        embedded.runtimes.contract.readStore.collection('contract-known-customers'),
        embedded.runtimes.provisioning.readStore.collection('known-customers'),
      ];
      for (const copy of copies) {
        const missing = [];
        for (const id of answered) if (!(await copy.get(id))) missing.push(id);
        expect(missing).toEqual([]);
      }
    } finally {
      await embedded.close();
    }
  }, 120_000);
});
