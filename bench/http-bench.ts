import { randomUUID } from 'crypto';
import { HttpClient, Reply } from './lib/http-client';
import { LoadRun, runWorkers, SendCommand } from './lib/load';
import { startFsyncCount } from './lib/fsync-count';
import { QuietWait, waitUntilQuiet } from './lib/process-cpu';
import { sleep } from './lib/stats';

/** Same shape as customerBody() in services/embedded/test/support/harness.ts. */
export const customerBody = (n: number) => ({
  companyName: `株式会社ベンチ${n}`,
  companyNameKana: 'カブシキガイシャベンチ',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: `bench${n}@example.co.jp` },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
});

const ORDER_LINES = [{ sku: 'MS-O365-E1', quantity: 3 }];

function expect(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 400)}`);
  return reply;
}

export interface BenchCustomer {
  customerId: string;
  /** The tenant's id in this system (what PUT /orders/:id/provisioning-target takes), not Microsoft's. */
  tenantId: string;
}

/** Customers of r-direct, each with one tenant whose MCA is accepted (directly), ready for Microsoft orders. */
export async function setupCustomers(client: HttpClient, count: number): Promise<BenchCustomer[]> {
  const customers: BenchCustomer[] = [];
  for (let n = 0; n < count; n++) {
    const customer = expect(await client.post('/customers', customerBody(n)), 201, 'POST /customers');
    const tenant = expect(
      await client.post(`/customers/${customer.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `bench${n}.onmicrosoft.com` }),
      201,
      'POST /customers/:id/tenants',
    );
    expect(await client.post(`/tenants/${tenant.body.id}/customer-agreement/direct-acceptance`, { acceptedOn: '2026-05-01' }), 201, 'direct-acceptance');
    customers.push({ customerId: customer.body.id, tenantId: tenant.body.id });
  }
  return customers;
}

/**
 * Tenant info reaches the order service asynchronously: waits until one whole flow works for every
 * customer (404 on the provisioning target or 422 on place means "not there yet").
 */
export async function waitUntilPlaceable(client: HttpClient, customers: BenchCustomer[], timeoutMs = 30_000): Promise<void> {
  await sleep(1000);
  const deadline = Date.now() + timeoutMs;
  const retry = async (what: string, send: () => Promise<Reply>, notYet: number) => {
    for (;;) {
      const reply = await send();
      if (reply.status === 200) return;
      if (reply.status !== notYet || Date.now() > deadline) expect(reply, 200, `${what} (waiting for the tenant to reach the order service)`);
      await sleep(200);
    }
  };
  for (const { customerId, tenantId } of customers) {
    const order = expect(await client.post('/orders', { customerId, lines: ORDER_LINES }), 201, 'POST /orders');
    expect(await client.post(`/orders/${order.body.id}/accept`), 200, 'accept');
    await retry('provisioning-target', () => client.put(`/orders/${order.body.id}/provisioning-target`, { tenantId }), 404);
    await retry('place', () => client.post(`/orders/${order.body.id}/place`), 422);
  }
}

/** The commands of one flow, in order: the names the latency and CPU tables use. */
export const FLOW_COMMANDS = ['create', 'accept', 'provisioning-target', 'place'] as const;
export type FlowCommand = (typeof FLOW_COMMANDS)[number];

/** One command of the flow for `orderId` (create ignores it); the reply, or undefined when it failed. */
function flowCommand(send: SendCommand, client: HttpClient, type: FlowCommand, customer: BenchCustomer, orderId?: string): Promise<Reply | undefined> {
  switch (type) {
    case 'create':
      return send(client, type, 'POST', '/orders', { customerId: customer.customerId, lines: ORDER_LINES }, 201);
    case 'accept':
      return send(client, type, 'POST', `/orders/${orderId}/accept`, {}, 200);
    case 'provisioning-target':
      return send(client, type, 'PUT', `/orders/${orderId}/provisioning-target`, { tenantId: customer.tenantId }, 200);
    case 'place':
      return send(client, type, 'POST', `/orders/${orderId}/place`, {}, 200);
  }
}

export interface FlowResult extends LoadRun {
  flows: number;
}

/**
 * `concurrency` workers share `flows` create → accept → provisioning-target → place flows; every
 * command's latency is recorded, and the CPU of `serverPid` over exactly the timed window.
 */
export async function runFlows(client: HttpClient, customers: BenchCustomer[], flows: number, concurrency: number, serverPid?: number): Promise<FlowResult> {
  const run = await runWorkers(
    concurrency,
    flows,
    async (n, send) => {
      const customer = customers[n % customers.length];
      const created = await flowCommand(send, client, 'create', customer);
      if (!created) return;
      for (const type of FLOW_COMMANDS.slice(1)) if (!(await flowCommand(send, client, type, customer, created.body.id))) return;
    },
    serverPid,
  );
  return { ...run, flows };
}

export interface Measured<T extends LoadRun> {
  run: T & { cpu: NonNullable<LoadRun['cpu']> };
  /** What the server did after the last reply until it was quiet (its asynchronous follow-up work). */
  tail: QuietWait;
  /** fsync + fdatasync calls of the server over the run and its tail; undefined without perf. */
  fsyncs?: number;
  /** Why there is no fsync count. */
  fsyncsUnavailable?: string;
}

/**
 * A load run on the server that counts only itself: waits until the server is quiet (work an earlier
 * run left behind is not counted), starts counting its fsyncs, runs the load (whose CPU window is
 * exactly the timed run), then waits until the server is quiet again and reports that tail apart.
 */
export async function measured<T extends LoadRun>(serverPid: number, load: () => Promise<T>): Promise<Measured<T>> {
  await waitUntilQuiet(serverPid);
  const counter = await startFsyncCount(serverPid);
  const run = await load();
  if (!run.cpu) throw new Error('a measured load run must be given the server pid');
  const tail = await waitUntilQuiet(serverPid);
  const synced = await counter.stop?.();
  return { run: run as Measured<T>['run'], tail, fsyncs: synced && synced.fsync + synced.fdatasync, fsyncsUnavailable: counter.unavailable };
}

export interface CommandCpu {
  type: FlowCommand;
  commands: number;
  errors: number;
  wallMs: number;
  /** Server CPU µs over the step's timed window. */
  windowUs: number;
  /** Server CPU µs after the last reply until the server was quiet again (its asynchronous follow-up work). */
  tailUs: number;
  /** False when the server never got quiet (the tail is then cut off at the wait's limit). */
  quiet: boolean;
  /** fsync + fdatasync calls of the server over the step and its tail (undefined without perf). */
  fsyncs?: number;
}

/**
 * Server CPU per command type: `orders` orders are taken through the flow one command type at a
 * time (all creates, then all accepts, …), each step a measured() run with `concurrency` workers:
 * its CPU (and fsyncs, with perf) counted over the step plus the asynchronous work it left behind.
 */
export async function cpuPerCommandType(client: HttpClient, customers: BenchCustomer[], orders: number, concurrency: number, serverPid: number): Promise<CommandCpu[]> {
  const orderIds: (string | undefined)[] = new Array(orders);
  const steps: CommandCpu[] = [];
  for (const type of FLOW_COMMANDS) {
    const { run, tail, fsyncs } = await measured(serverPid, () =>
      runWorkers(
        concurrency,
        orders,
        async (n, send) => {
          if (type !== 'create' && !orderIds[n]) return; // its earlier step failed
          const reply = await flowCommand(send, client, type, customers[n % customers.length], orderIds[n]);
          if (type === 'create') orderIds[n] = reply?.body.id;
          else if (!reply) orderIds[n] = undefined;
        },
        serverPid,
      ),
    );
    const s = run.recorder.summary();
    steps.push({ type, commands: s.count, errors: s.errors, wallMs: run.wallMs, windowUs: run.cpu.processUs, tailUs: tail.tailUs, quiet: tail.quiet, fsyncs });
  }
  return steps;
}

/** The order list's total, as distributor staff see it. */
export async function ordersTotal(client: HttpClient): Promise<number> {
  const reply = await client.get('/orders?pageSize=1');
  if (reply.status !== 200) throw new Error(`GET /orders: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  return reply.body.total;
}

/** Creates `count` orders (creates only) with `concurrency` workers. */
export async function bulkCreate(
  client: HttpClient,
  customers: BenchCustomer[],
  count: number,
  concurrency: number,
  onProgress?: (done: number, elapsedMs: number) => void,
): Promise<FlowResult> {
  let done = 0;
  const started = performance.now();
  const run = await runWorkers(concurrency, count, async (n, send) => {
    await flowCommand(send, client, 'create', customers[n % customers.length]);
    if (++done % 10_000 === 0) onProgress?.(done, performance.now() - started);
  });
  return { ...run, flows: count };
}
