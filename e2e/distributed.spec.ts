import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { call, customerBody, DISTRIBUTOR, eventually } from './support/http';
import { describeWithInfrastructure, KAFKA_BROKERS, MONGO_URL } from './support/infrastructure';
import { freePort, ServiceProcess } from './support/service-process';
import { TopicRecorder } from './support/topic-recorder';

const SERVICES = ['order', 'provisioning', 'contract', 'billing'] as const;
type ServiceName = (typeof SERVICES)[number];

describeWithInfrastructure('distributed: each service its own process, Kafka between them, Mongo read models', () => {
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-distributed-'));
  const services = {} as Record<ServiceName, ServiceProcess>;
  let orderEvents: TopicRecorder;
  let firstPlacedEventId: string;

  beforeAll(async () => {
    execSync('npm run -s build', { cwd: join(__dirname, '..'), stdio: 'inherit' });
    for (const name of SERVICES) {
      services[name] = new ServiceProcess(name, await freePort(), {
        KAFKA_BROKERS: KAFKA_BROKERS!,
        KAFKA_PARTITIONS: '3',
        EVENT_STORE: 'sqlite',
        DATA_DIR: join(dataDir, name),
        READ_STORE: 'mongo',
        MONGO_URL: MONGO_URL!,
        MONGO_DB: `e2e-${run}-${name}`,
      });
    }
    await Promise.all(Object.values(services).map((service) => service.start()));
    orderEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'order.events');
    await orderEvents.start();
  }, 180_000);

  afterAll(async () => {
    await orderEvents?.stop();
    await Promise.all(Object.values(services).map((service) => service.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const order = (method: string, path: string, body?: object) => call(services.order.baseUrl, method, path, body);
  const provisioning = (method: string, path: string, body?: object, bearer?: string) => call(services.provisioning.baseUrl, method, path, body, bearer);

  it('every service answers its health checks on its own port', async () => {
    for (const service of Object.values(services)) {
      expect((await call(service.baseUrl, 'GET', '/health/ready')).status).toBe(200);
    }
  });

  it("provisioning's tenant and MCA events reach the order service over Kafka and gate placement; OrderPlaced reaches a downstream consumer", async () => {
    const customer = await order('POST', '/customers', customerBody);
    expect(customer.status).toBe(201);
    // Provisioning learns the customer from order.events.
    const tenant = await eventually(
      () => provisioning('POST', `/customers/${customer.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `e2e-${run}.onmicrosoft.com` }),
      (answer) => answer.status === 201,
    );
    expect(tenant.status).toBe(201);

    const created = await order('POST', '/orders', { customerId: customer.body.id, lines: [{ sku: 'MS-O365-E1', quantity: 3 }], purchaseOrderNumber: `PO-${run}` });
    expect(created.status).toBe(201);
    expect((await order('POST', `/orders/${created.body.id}/accept`, { acceptedOn: '2026-05-15' })).status).toBe(200);

    // Once TenantRegistered has arrived, placement is refused for the missing MCA, not for the tenant.
    const refused = await eventually(
      () => order('POST', `/orders/${created.body.id}/place`, { placedOn: '2026-05-15' }),
      (answer) => answer.body?.code === 'MCA_NOT_ACCEPTED',
    );
    expect(refused).toMatchObject({ status: 422, body: { code: 'MCA_NOT_ACCEPTED' } });

    const attested = await provisioning(
      'POST',
      `/tenants/${tenant.body.id}/customer-agreement`,
      { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' },
      DISTRIBUTOR,
    );
    expect(attested.status).toBe(201);
    const placed = await eventually(
      () => order('POST', `/orders/${created.body.id}/place`, { placedOn: '2026-05-15' }),
      (answer) => answer.status === 200,
    );
    expect(placed.body).toMatchObject({ status: 'PLACED', tenantId: tenant.body.id });

    await orderEvents.waitFor((messages) => messages.some((m) => m.envelope.type === 'OrderPlaced' && m.envelope.data.orderId === created.body.id));
    const message = orderEvents.messages.find((m) => m.envelope.type === 'OrderPlaced' && m.envelope.data.orderId === created.body.id)!;
    firstPlacedEventId = message.envelope.eventId;
    expect(message.key).toBe(created.body.id);
    expect(message.headers).toMatchObject({ eventType: 'OrderPlaced', schemaVersion: '1', eventId: message.envelope.eventId, correlationId: message.envelope.correlationId });
    expect(message.envelope).toMatchObject({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'OrderPlaced',
      schemaVersion: 1,
      streamId: `order-${created.body.id}`,
      streamRevision: expect.any(Number),
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      correlationId: expect.any(String),
      causationId: expect.any(String),
      actor: { id: 'e2e-admin-agent', resellerId: 'r-direct' },
      data: {
        orderId: created.body.id,
        placedOn: '2026-05-15',
        purchaseOrderNumber: `PO-${run}`,
        lines: [expect.objectContaining({ sku: 'MS-O365-E1', vendor: 'Microsoft', quantity: 3, unitPrice: 870, billingPolicy: 'microsoft-csp-monthly', tenantId: tenant.body.id })],
      },
    });
    expect(message.envelope).not.toHaveProperty('position');
  }, 90_000);

  it('kill -9 of the order service mid-stream: after a restart nothing committed is lost, and the forwarder resumes from its checkpoint', async () => {
    const customer = await order('POST', '/customers', customerBody);
    const createdIds: string[] = [];
    const chains = Array.from({ length: 30 }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 15));
      const created = await order('POST', '/orders', { customerId: customer.body.id, lines: [{ sku: 'MS-M365-BB', quantity: index + 1 }] }).catch(() => undefined);
      if (created?.status !== 201) return;
      createdIds.push(created.body.id);
      await order('POST', `/orders/${created.body.id}/accept`).catch(() => undefined);
    });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await services.order.kill9();
    await Promise.all(chains);
    await services.order.start();

    expect(createdIds.length).toBeGreaterThan(0);
    // The read model (Mongo) of the restarted service shows every order the store holds, once each:
    // all acknowledged ones, and those committed just before the kill whose answer never left.
    const listed = async () => (await order('GET', `/orders?customerId=${customer.body.id}&pageSize=100`)).body;
    let list = await listed();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let total = -1; total !== list.total; ) {
      total = list.total;
      await new Promise((resolve) => setTimeout(resolve, 500));
      list = await listed();
    }
    const listedIds: string[] = list.items.map((item: { id: string }) => item.id);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(listedIds).toEqual(expect.arrayContaining(createdIds));

    // Every published event the store holds for them reaches Kafka.
    const published = new Set(['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled']);
    const expected: string[] = [];
    for (const id of listedIds) {
      const history = await order('GET', `/orders/${id}/history`);
      expect(history.status).toBe(200);
      expected.push(...history.body.filter((event: { type: string }) => published.has(event.type)).map((event: { eventId: string }) => event.eventId));
    }
    expect(expected.length).toBeGreaterThan(0);
    await orderEvents.waitFor((messages) => {
      const seen = new Set(messages.map((m) => m.envelope.eventId));
      return expected.every((eventId) => seen.has(eventId));
    });
    // Resumed from its checkpoint, not from the start: the earlier OrderPlaced was not published again.
    expect(orderEvents.messages.filter((m) => m.envelope.eventId === firstPlacedEventId)).toHaveLength(1);
  }, 120_000);

  it('kill -9 of a consumer (provisioning) mid-stream: after a restart it has every customer, none lost', async () => {
    const registering = Array.from({ length: 20 }, (_, index) =>
      new Promise((resolve) => setTimeout(resolve, index * 10)).then(() => order('POST', '/customers', { ...customerBody, siteName: `拠点${index}` })),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    await services.provisioning.kill9();
    const customers = await Promise.all(registering);
    await services.provisioning.start();

    for (const customer of customers) {
      expect(customer.status).toBe(201);
      const tenant = await eventually(
        () => provisioning('POST', `/customers/${customer.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `c${customer.body.id.slice(0, 8)}.onmicrosoft.com` }),
        (answer) => answer.status === 201,
      );
      expect(tenant.status).toBe(201);
    }
  }, 120_000);
});
