import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { loadDevDefaults } from '@lp/platform';
import { createEmbeddedApp, EmbeddedApp, EmbeddedOptions } from '../../src/embedded-app';

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
}

export const customerBody = (overrides: object = {}) => ({
  companyName: '株式会社サンプル',
  companyNameKana: 'カブシキガイシャサンプル',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'yamada@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
  ...overrides,
});

export const MS_TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** A customer of r-direct with one tenant whose MCA is accepted, ready for Microsoft orders. */
export async function readyCustomer(h: Harness, token = asDirect, microsoftTenantId = MS_TENANT) {
  const customer = await h.http(token).post('/customers', customerBody()).expect(201);
  const tenant = await h
    .http(token)
    .post(`/customers/${customer.body.id}/tenants`, { tenantId: microsoftTenantId, primaryDomain: 'sample.onmicrosoft.com' })
    .expect(201);
  await h
    .http(asDistributor)
    .post(`/tenants/${tenant.body.id}/customer-agreement`, { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' })
    .expect(201);
  await h.settle();
  return { customerId: customer.body.id as string, tenantId: tenant.body.id as string };
}
