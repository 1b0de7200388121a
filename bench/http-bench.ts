import { randomUUID } from 'crypto';
import { HttpClient, Reply } from './lib/http-client';
import { LatencyRecorder, sleep } from './lib/stats';

/** Same shape as customerBody() in services/embedded/test/support/harness.ts. */
const customerBody = (n: number) => ({
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

/** Customers of r-direct, each with one tenant whose MCA is accepted (directly), ready for Microsoft orders. */
export async function setupCustomers(client: HttpClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const customer = expect(await client.post('/customers', customerBody(n)), 201, 'POST /customers');
    const tenant = expect(
      await client.post(`/customers/${customer.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `bench${n}.onmicrosoft.com` }),
      201,
      'POST /customers/:id/tenants',
    );
    expect(await client.post(`/tenants/${tenant.body.id}/customer-agreement/direct-acceptance`, { acceptedOn: '2026-05-01' }), 201, 'direct-acceptance');
    ids.push(customer.body.id);
  }
  return ids;
}

/**
 * Tenant info reaches the order service asynchronously: waits until one create→accept→place flow
 * works for every customer (a 422 on place means "not there yet").
 */
export async function waitUntilPlaceable(client: HttpClient, customerIds: string[], timeoutMs = 30_000): Promise<void> {
  await sleep(1000);
  const deadline = Date.now() + timeoutMs;
  for (const customerId of customerIds) {
    const order = expect(await client.post('/orders', { customerId, lines: ORDER_LINES }), 201, 'POST /orders');
    expect(await client.post(`/orders/${order.body.id}/accept`), 200, 'accept');
    for (;;) {
      const placed = await client.post(`/orders/${order.body.id}/place`);
      if (placed.status === 200) break;
      if (placed.status !== 422 || Date.now() > deadline) expect(placed, 200, 'place (waiting for the tenant to reach the order service)');
      await sleep(200);
    }
  }
}

export interface FlowResult {
  recorder: LatencyRecorder;
  wallMs: number;
  flows: number;
  firstErrors: string[];
}

/** `concurrency` workers share `flows` create→accept→place flows; every command's latency is recorded. */
export async function runFlows(client: HttpClient, customerIds: string[], flows: number, concurrency: number): Promise<FlowResult> {
  const recorder = new LatencyRecorder();
  const firstErrors: string[] = [];
  let next = 0;
  const command = async (type: string, path: string, body: object, status: number): Promise<Reply | undefined> => {
    let reply: Reply;
    try {
      reply = await client.post(path, body);
    } catch (error) {
      recorder.record(type, NaN, false);
      if (firstErrors.length < 5) firstErrors.push(`${type}: ${(error as Error).message}`);
      return undefined;
    }
    const ok = reply.status === status;
    recorder.record(type, reply.ms, ok);
    if (!ok && firstErrors.length < 5) firstErrors.push(`${type}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    return ok ? reply : undefined;
  };
  const worker = async () => {
    while (next < flows) {
      const n = next++;
      const created = await command('create', '/orders', { customerId: customerIds[n % customerIds.length], lines: ORDER_LINES }, 201);
      if (!created) continue;
      if (!(await command('accept', `/orders/${created.body.id}/accept`, {}, 200))) continue;
      await command('place', `/orders/${created.body.id}/place`, {}, 200);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { recorder, wallMs: performance.now() - started, flows, firstErrors };
}

/** Creates `count` orders (creates only) with `concurrency` workers. */
export async function bulkCreate(
  client: HttpClient,
  customerIds: string[],
  count: number,
  concurrency: number,
  onProgress?: (done: number, elapsedMs: number) => void,
): Promise<FlowResult> {
  const recorder = new LatencyRecorder();
  const firstErrors: string[] = [];
  let issued = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < count) {
      const n = issued++;
      let reply: Reply | undefined;
      try {
        reply = await client.post('/orders', { customerId: customerIds[n % customerIds.length], lines: ORDER_LINES });
      } catch (error) {
        if (firstErrors.length < 5) firstErrors.push((error as Error).message);
      }
      const ok = reply?.status === 201;
      recorder.record('create', reply?.ms ?? NaN, ok);
      if (!ok && reply && firstErrors.length < 5) firstErrors.push(`${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
      if (++done % 10_000 === 0) onProgress?.(done, performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { recorder, wallMs: performance.now() - started, flows: count, firstErrors };
}
