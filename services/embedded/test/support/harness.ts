import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { EventEnvelope } from '@lp/eventsourcing';
import { CHECK_DECLARED_PROBLEMS, loadDevDefaults, undeclaredProblems } from '@lp/platform';
import { createEmbeddedApp, EmbeddedApp, EmbeddedOptions } from '../../src/embedded-app';

// Every test through this harness keeps the handlers' @Refuses honest: a problem code a handler
// answers without declaring it becomes a 500 UNDECLARED_PROBLEM. A `record:<file>` run stays as set.
process.env[CHECK_DECLARED_PROBLEMS] ??= '1';

export type Role = 'admin-agent' | 'sales-agent' | 'distributor-admin';

/** A bearer token as `npm run token` prints it. */
export function tokenFor(role: Role, resellerId?: string, sub = `u-${role}-${resellerId ?? 'dist'}`): string {
  return jwt.sign({ sub, name: sub, roles: [role], ...(resellerId && { resellerId }) }, loadDevDefaults().jwtSecret, { expiresIn: '1h' });
}

export const asDirect = tokenFor('admin-agent', 'r-direct');
export const asIndirect = tokenFor('admin-agent', 'r-indirect');
export const asDistributor = tokenFor('distributor-admin');

/** The embedded runtime on a fresh data directory; restart() reopens the same directory. */
export class Harness {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'lp-embedded-'));
  embedded!: EmbeddedApp;

  /** e.g. `{ provisioning: { connectors, retryPolicy } }`: kept across restart(). */
  constructor(private readonly options: Partial<Pick<EmbeddedOptions, 'provisioning'>> = {}) {}

  async start(): Promise<this> {
    this.embedded = await createEmbeddedApp({ dataDir: this.dataDir, logger: false, ...this.options });
    return this;
  }

  async restart(): Promise<void> {
    await this.embedded.close();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.embedded?.close();
    rmSync(this.dataDir, { recursive: true, force: true });
    // Also when the test never looked at the status it got (a loop that only counts 5xx, say).
    const undeclared = undeclaredProblems.splice(0);
    if (undeclared.length) {
      throw new Error(`Problems answered that their handler's @Refuses does not declare: ${undeclared.map((p) => `${p.route} ${p.status} ${p.code}`).join('; ')}`);
    }
  }

  http(token: string | null = asDirect) {
    const agent = request(this.embedded.app.getHttpServer());
    const auth = <T extends request.Test>(test: T) => (token ? test.set('Authorization', `Bearer ${token}`) : test);
    return {
      get: (path: string) => auth(agent.get(path)),
      post: (path: string, body: object = {}) => auth(agent.post(path).send(body)),
      put: (path: string, body: object = {}) => auth(agent.put(path).send(body)),
      delete: (path: string) => auth(agent.delete(path)),
    };
  }

  /** Lets integration events reach the other services (provisioning's tenants → order's copy). */
  settle(): Promise<void> {
    return this.embedded.settle();
  }

  /** Every envelope published on `topic` so far, as a new consumer group (a downstream system) reads it. */
  async publishedOn(topic: string): Promise<EventEnvelope[]> {
    await this.settle();
    const seen: EventEnvelope[] = [];
    const consumer = await this.embedded.runtimes.order.adapters.bus.subscribe({ groupId: `test-${randomUUID()}`, topics: [topic], handler: async (event) => void seen.push(event) });
    await consumer.caughtUp();
    await consumer.stop();
    return seen;
  }
}

export const customerBody = (overrides: object = {}) => ({
  companyName: '株式会社サンプル',
  companyNameKana: 'カブシキガイシャサンプル',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'yamada@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
  ...overrides,
});

export interface Customer {
  customerId: string;
  tenantId: string;
  microsoftTenantId: string;
}

/**
 * A customer of the token's reseller with its own Microsoft tenant (a fresh GUID unless given, so
 * customers never collide on DUPLICATE_TENANT), MCA attested by the distributor: ready for Microsoft orders.
 */
export async function readyCustomer(
  h: Harness,
  { token = asDirect, companyName, microsoftTenantId = randomUUID() }: { token?: string; companyName?: string; microsoftTenantId?: string } = {},
): Promise<Customer> {
  const customer = await h.http(token).post('/customers', customerBody(companyName ? { companyName } : {})).expect(201);
  const tenant = await h
    .http(token)
    .post(`/customers/${customer.body.id}/tenants`, { tenantId: microsoftTenantId, primaryDomain: `c${microsoftTenantId.slice(0, 8)}.onmicrosoft.com` })
    .expect(201);
  await h
    .http(asDistributor)
    .post(`/tenants/${tenant.body.id}/customer-agreement`, { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' })
    .expect(201);
  await h.settle();
  return { customerId: customer.body.id, tenantId: tenant.body.id, microsoftTenantId };
}

/**
 * For a describe block whose tests share one runtime and one ready customer: starts both before the
 * tests, hands them over, and stops the runtime after the tests.
 */
export function withReadyCustomer(use: (ready: Customer & { h: Harness }) => void): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await new Harness().start();
    use({ h, ...(await readyCustomer(h)) });
  });
  afterAll(() => h?.stop());
}

export interface PlacedOrder {
  id: string;
  orderNumber: string;
  customerId: string;
  lines: { id: string; sku: string; productName: string; placementStatus: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/**
 * Order → accept → the customer's tenant chosen → placed (発注), as seed 000, then settled so the
 * other services have seen it. Only the lines at `lineIndexes` are placed when given, else all.
 */
export async function placeOrder(
  h: Harness,
  customer: Pick<Customer, 'customerId' | 'tenantId'>,
  lines: { sku: string; quantity: number }[],
  {
    token = asDirect,
    orderDate = '2026-05-15',
    placedOn = '2026-05-15',
    lineIndexes,
    purchaseOrderNumber = 'PO-2026-0515',
  }: { token?: string; orderDate?: string; placedOn?: string; lineIndexes?: number[]; purchaseOrderNumber?: string } = {},
): Promise<PlacedOrder> {
  const created = await h.http(token).post('/orders', { customerId: customer.customerId, orderDate, lines, purchaseOrderNumber }).expect(201);
  await h.http(token).post(`/orders/${created.body.id}/accept`, { acceptedOn: orderDate }).expect(200);
  await h.http(token).put(`/orders/${created.body.id}/provisioning-target`, { tenantId: customer.tenantId }).expect(200);
  const lineIds = lineIndexes?.map((index) => created.body.lines[index].id as string);
  const placed = await h
    .http(token)
    .post(`/orders/${created.body.id}/place`, { placedOn, ...(lineIds && { lineIds }) })
    .expect(200);
  await h.settle();
  return placed.body;
}
