import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { call, customerBody, DISTRIBUTOR, eventually } from './support/http';
import { describeWithInfrastructure, KAFKA_BROKERS, MONGO_URL } from './support/infrastructure';
import { freePort, ServiceProcess } from './support/service-process';
import { TopicRecorder } from './support/topic-recorder';
import { SmtpSink } from '@lp/testing';

const SERVICES = ['order', 'provisioning', 'contract', 'billing'] as const;
type ServiceName = (typeof SERVICES)[number];

describeWithInfrastructure('distributed: each service its own process, Kafka between them, Mongo read models', () => {
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-distributed-'));
  const services = {} as Record<ServiceName, ServiceProcess>;
  let orderEvents: TopicRecorder;
  let firstPlacedEventId: string;
  const mail = new SmtpSink();

  beforeAll(async () => {
    execSync('npm run -s build', { cwd: join(__dirname, '..'), stdio: 'inherit' });
    const smtpPort = (await mail.start()).port;
    // Provisioning sends reseller notices over real SMTP and retries vendor calls quickly here.
    const perService: Partial<Record<ServiceName, Record<string, string>>> = {
      provisioning: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), PROVISIONING_MAX_ATTEMPTS: '3', PROVISIONING_RETRY_INITIAL_MS: '50', PROVISIONING_RETRY_MAX_MS: '100' },
    };
    for (const name of SERVICES) {
      services[name] = new ServiceProcess(name, await freePort(), {
        KAFKA_BROKERS: KAFKA_BROKERS!,
        KAFKA_PARTITIONS: '3',
        EVENT_STORE: 'sqlite',
        DATA_DIR: join(dataDir, name),
        READ_STORE: 'mongo',
        MONGO_URL: MONGO_URL!,
        MONGO_DB: `e2e-${run}-${name}`,
        ...perService[name],
      });
    }
    await Promise.all(Object.values(services).map((service) => service.start()));
    orderEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'order.events');
    await orderEvents.start();
  }, 180_000);

  afterAll(async () => {
    await orderEvents?.stop();
    await Promise.all(Object.values(services).map((service) => service.stop()));
    await mail.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const order = (method: string, path: string, body?: object) => call(services.order.baseUrl, method, path, body);
  const provisioning = (method: string, path: string, body?: object, bearer?: string) => call(services.provisioning.baseUrl, method, path, body, bearer);
  const contract = (method: string, path: string, body?: object, bearer?: string) => call(services.contract.baseUrl, method, path, body, bearer);

  /** Customer → tenant → MCA → order → accept → tenant chosen → placed: seed 000 up to 発注 across services. */
  async function placedOrder(lines: { sku: string; quantity: number }[], placedOn: string) {
    const customer = await order('POST', '/customers', customerBody);
    const tenant = await eventually(
      () => provisioning('POST', `/customers/${customer.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `c${randomUUID().slice(0, 8)}.onmicrosoft.com` }),
      (answer) => answer.status === 201,
    );
    await provisioning('POST', `/tenants/${tenant.body.id}/customer-agreement`, { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' }, DISTRIBUTOR);
    const created = await order('POST', '/orders', { customerId: customer.body.id, lines, purchaseOrderNumber: `PO-${run}` });
    expect(created.status).toBe(201);
    await order('POST', `/orders/${created.body.id}/accept`, { acceptedOn: placedOn });
    await eventually(
      () => order('PUT', `/orders/${created.body.id}/provisioning-target`, { tenantId: tenant.body.id }),
      (answer) => answer.status === 200,
    );
    const placed = await eventually(
      () => order('POST', `/orders/${created.body.id}/place`, { placedOn }),
      (answer) => answer.status === 200,
    );
    expect(placed.body.status).toBe('PLACED');
    return placed.body as { id: string; customerId: string; lines: { id: string; sku: string }[] };
  }

  const subscriptionsOf = (orderId: string) => provisioning('GET', `/provisioning/subscriptions?orderId=${orderId}`);

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
    let firstAccepted!: () => void;
    const accepting = new Promise<void>((resolve) => (firstAccepted = resolve));
    const chains = Array.from({ length: 30 }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 15));
      const created = await order('POST', '/orders', { customerId: customer.body.id, lines: [{ sku: 'MS-M365-BB', quantity: index + 1 }] }).catch(() => undefined);
      if (created?.status !== 201) return;
      createdIds.push(created.body.id);
      const accepted = await order('POST', `/orders/${created.body.id}/accept`).catch(() => undefined);
      if (accepted?.status === 200) firstAccepted();
    });
    // Mid-stream, whatever the machine's speed: once something was accepted (published) and more is in flight.
    await accepting;
    await new Promise((resolve) => setTimeout(resolve, 100));
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

  it('seed 000 over Kafka: placed lines become ACTIVE subscriptions, the contract service learns them, the contract is confirmed → 契約中', async () => {
    const placed = await placedOrder([{ sku: 'MS-O365-E1', quantity: 3 }, { sku: 'MS-PROJECT-P1', quantity: 1 }], '2026-05-15');
    const subscriptions = await eventually(
      () => subscriptionsOf(placed.id),
      (answer) => answer.body?.items?.length === 2 && answer.body.items.every((item: { status: string }) => item.status === 'ACTIVE'),
    );
    expect(subscriptions.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: 'MS-O365-E1', status: 'ACTIVE', vendorSubscriptionId: expect.stringMatching(/^[0-9A-F-]{36}$/) })]),
    );

    const created = await eventually(
      () => contract('POST', '/contracts', { orderId: placed.id, lineIds: placed.lines.map((line) => line.id), subject: 'E1 と Project', subjectForForms: 'E1 と Project', contractDate: '2026-05-20' }),
      (answer) => answer.status === 201,
    );
    expect(created.body).toMatchObject({ status: 'PENDING', statusLabel: '新規契約手続中', contractNumber: expect.stringMatching(/^NCN202605-\d{10}$/) });
    // The subscriptions' ACTIVE state reaches the contract service over Kafka a moment later.
    const confirmed = await eventually(
      () => contract('POST', `/contracts/${created.body.id}/confirm`, { startDate: '2026-05-20' }),
      (answer) => answer.status === 200,
    );
    expect(confirmed.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true });
    expect(confirmed.body.lines.every((line: { startDate: string; subscriptionId: string }) => line.startDate === '2026-05-20' && line.subscriptionId)).toBe(true);
    const listed = await eventually(
      () => contract('GET', `/contracts?customerId=${placed.customerId}`),
      (answer) => answer.body?.items?.[0]?.status === 'ACTIVE',
    );
    expect(listed.body).toMatchObject({ total: 1, items: [expect.objectContaining({ contractNumber: created.body.contractNumber, billing: true })] });
  }, 120_000);

  it('StreamOne over Kafka: the line waits in MANUAL_PROVISIONING, confirmation is refused until the distributor activates it, whose notice reaches the reseller by SMTP', async () => {
    const placed = await placedOrder([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }], '2026-05-15');
    const waiting = await eventually(() => subscriptionsOf(placed.id), (answer) => answer.body?.items?.[0]?.status === 'MANUAL_PROVISIONING');
    const subscription = waiting.body.items[0];
    expect(subscription.statusLabel).toBe('マニュアルプロビジョニング');

    const created = await eventually(
      () => contract('POST', '/contracts', { orderId: placed.id, lineIds: [placed.lines[0].id], subject: 'ポケトーク', subjectForForms: 'ポケトーク', contractDate: '2026-05-20' }),
      (answer) => answer.status === 201,
    );
    const early = await contract('POST', `/contracts/${created.body.id}/confirm`, {});
    expect(early).toMatchObject({ status: 409, body: { code: 'PROVISIONING_NOT_COMPLETE' } });

    expect((await provisioning('POST', `/provisioning/subscriptions/${subscription.id}/activate`, {})).status).toBe(403);
    const activated = await provisioning('POST', `/provisioning/subscriptions/${subscription.id}/activate`, {}, DISTRIBUTOR);
    expect(activated).toMatchObject({ status: 200, body: { status: 'ACTIVE', statusLabel: 'アクティベーション済' } });

    const notice = await mail.waitFor((received) => received.text.includes(subscription.vendorSubscriptionId), 20_000);
    expect(notice.envelopeTo).toEqual(['orders@direct.example.jp']);

    const confirmed = await eventually(() => contract('POST', `/contracts/${created.body.id}/confirm`, {}), (answer) => answer.status === 200);
    expect(confirmed.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中' });
  }, 120_000);
});
