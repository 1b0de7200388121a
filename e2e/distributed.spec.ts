import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import mongoose from 'mongoose';
import { Answer, call, customerBody, DISTRIBUTOR, eventually } from './support/http';
import { describeWithInfrastructure, KAFKA_BROKERS, MONGO_URL } from './support/infrastructure';
import { ServiceName, startDistributedServices } from './support/distributed-services';
import { ServiceProcess } from './support/service-process';
import { consumedBy, RecordedMessage, TopicRecorder } from './support/topic-recorder';
import { SmtpSink } from '@lp/testing';

/** The simulated Partner Center's latency per call in the provisioning process. */
const PARTNER_CENTER_LATENCY_MS = 800;
/** The billing process's 適格請求書発行事業者 from its environment, not the development sample. */
const INVOICE_ISSUER = { name: '分散請求テスト株式会社', registrationNumber: 'T9876543210987' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithInfrastructure('distributed: each service its own process, Kafka between them, Mongo read models', () => {
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-distributed-'));
  const services = {} as Record<ServiceName, ServiceProcess>;
  let orderEvents: TopicRecorder;
  let contractEvents: TopicRecorder;
  let provisioningEvents: TopicRecorder;
  let billingEvents: TopicRecorder;
  let firstPlacedEventId: string;
  const mail = new SmtpSink();

  beforeAll(async () => {
    execSync('npm run -s build', { cwd: join(__dirname, '..'), stdio: 'inherit' });
    const smtpPort = (await mail.start()).port;
    // Provisioning sends reseller notices over real SMTP and retries vendor calls quickly here. Partner
    // Center answers after PARTNER_CENTER_LATENCY_MS (a real one takes seconds): longer than a Kafka hop,
    // so a test can kill a service while a vendor answer is on its way.
    const perService: Partial<Record<ServiceName, Record<string, string>>> = {
      provisioning: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        PROVISIONING_MAX_ATTEMPTS: '3',
        PROVISIONING_RETRY_INITIAL_MS: '50',
        PROVISIONING_RETRY_MAX_MS: '100',
        PARTNER_CENTER_LATENCY_MS: String(PARTNER_CENTER_LATENCY_MS),
      },
      billing: {
        INVOICE_ISSUER_NAME: INVOICE_ISSUER.name,
        INVOICE_REGISTRATION_NUMBER: INVOICE_ISSUER.registrationNumber,
      },
    };
    Object.assign(services, await startDistributedServices(dataDir, perService, run));
    orderEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'order.events');
    contractEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'contract.events');
    provisioningEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'provisioning.events');
    billingEvents = new TopicRecorder(KAFKA_BROKERS!.split(','), 'billing.events');
    await Promise.all([orderEvents.start(), contractEvents.start(), provisioningEvents.start(), billingEvents.start()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([orderEvents?.stop(), contractEvents?.stop(), provisioningEvents?.stop(), billingEvents?.stop()]);
    await Promise.all(Object.values(services).map((service) => service.stop()));
    await mail.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const order = (method: string, path: string, body?: object) => call(services.order.baseUrl, method, path, body);
  const provisioning = (method: string, path: string, body?: object, bearer?: string) => call(services.provisioning.baseUrl, method, path, body, bearer);
  const contract = (method: string, path: string, body?: object, bearer?: string) => call(services.contract.baseUrl, method, path, body, bearer);
  const billing = (method: string, path: string, body?: object, bearer?: string) => call(services.billing.baseUrl, method, path, body, bearer);

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

  /** The consumer group a projection of other services' events reads with (named after the service's read database). */
  const groupOf = async (service: ServiceName, projection: string): Promise<string> => {
    const listed = await call(services[service].baseUrl, 'GET', '/ops/projections', undefined, DISTRIBUTOR);
    const row = listed.body.items.find((item: { name: string }) => item.name === projection);
    if (!row?.groupId) throw new Error(`${service} lists no projection ${projection} with a consumer group: ${JSON.stringify(listed.body)}`);
    return row.groupId;
  };

  const subscriptionsOf = (orderId: string) => provisioning('GET', `/provisioning/subscriptions?orderId=${orderId}`);

  interface ContractLine {
    id: string;
    sku: string;
    quantity: number;
    subscriptionId: string;
    status: string;
    startDate: string;
  }

  /**
   * Seed 000 up to 契約中 across services: the order placed, every subscription ACTIVE, a contract of
   * all its lines created (PENDING) and confirmed once the contract service learnt the subscriptions.
   */
  async function activeContract(lines: { sku: string; quantity: number }[], { subject, contractDate = '2026-05-20' }: { subject: string; contractDate?: string }) {
    const placed = await placedOrder(lines, '2026-05-15');
    const subscriptions = await eventually(
      () => subscriptionsOf(placed.id),
      (answer) => answer.body?.items?.length === lines.length && answer.body.items.every((item: { status: string }) => item.status === 'ACTIVE'),
    );
    expect(subscriptions.body.items.map((item: { status: string }) => item.status)).toEqual(lines.map(() => 'ACTIVE'));
    const created = await eventually(
      () => contract('POST', '/contracts', { orderId: placed.id, lineIds: placed.lines.map((line) => line.id), subject, subjectForForms: subject, contractDate }),
      (answer) => answer.status === 201,
    );
    expect(created.status).toBe(201);
    // The subscriptions' ACTIVE state reaches the contract service over Kafka a moment later.
    const confirmed = await eventually(
      () => contract('POST', `/contracts/${created.body.id}/confirm`, { startDate: contractDate }),
      (answer) => answer.status === 200,
    );
    expect(confirmed.status).toBe(200);
    return {
      placed,
      subscriptions: subscriptions.body.items as { sku: string; status: string; vendorSubscriptionId: string }[],
      created: created.body,
      confirmed: confirmed.body as { id: string; contractNumber: string; status: string; lines: ContractLine[] },
    };
  }

  it('every service answers its health checks on its own port', async () => {
    for (const service of Object.values(services)) {
      expect((await call(service.baseUrl, 'GET', '/health/ready')).status).toBe(200);
    }
  });

  it('every service serves the AsyncAPI document of its own topic at GET /asyncapi.json, without a token', async () => {
    for (const [name, service] of Object.entries(services)) {
      const response = await fetch(`${service.baseUrl}/asyncapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as { asyncapi: string; channels: Record<string, { address: string }> };
      expect({ name, asyncapi: document.asyncapi, topics: Object.values(document.channels).map((channel) => channel.address) }).toEqual({ name, asyncapi: '3.0.0', topics: [`${name}.events`] });
    }
  });

  it("every service serves the console: the start page, and a browser's reload of a screen at the service owning its path, while the same path asked for JSON stays the API", async () => {
    const page = (base: string, path: string) => fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
    for (const [service, path] of [['order', '/'], ['contract', '/contracts/some-id'], ['billing', '/invoices']] as const) {
      const answer = await page(services[service].baseUrl, path);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('<html lang="ja">');
    }
    const api = await fetch(`${services.contract.baseUrl}/contracts/some-id`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
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
    expect(message.headers).toMatchObject({ eventType: 'OrderPlaced', schemaVersion: '2', eventId: message.envelope.eventId, correlationId: message.envelope.correlationId });
    expect(message.envelope).toMatchObject({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'OrderPlaced',
      schemaVersion: 2,
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
    // The forwarder makes its checkpoint durable every 200 ms (DeferredCheckpointStore): what it published
    // within that window before a kill is published again (at least once). The earlier OrderPlaced checked
    // at the end must lie well before the kill, also on a loaded machine.
    await new Promise((resolve) => setTimeout(resolve, 2000));
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
    // The crash was an outage, not a poison message: none of these customers' events was parked.
    const parked = await provisioning('GET', '/ops/dlq?status=parked&limit=1000', undefined, DISTRIBUTOR);
    expect(parked.status).toBe(200);
    const ids = new Set(customers.map((customer) => customer.body.id));
    expect(parked.body.items.filter((item: { key: string }) => ids.has(item.key))).toEqual([]);
  }, 120_000);

  it('provisioning\'s read database dropped: after a restart it learns every earlier customer again from order.events (its consumer groups belong to that database)', async () => {
    const earlier = await order('POST', '/customers', { ...customerBody, siteName: '削除前' });
    expect(earlier.status).toBe(201);
    const known = await eventually(
      () => provisioning('POST', `/customers/${earlier.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `c${randomUUID().slice(0, 8)}.onmicrosoft.com` }),
      (answer) => answer.status === 201,
    );
    expect(known.status).toBe(201);

    await services.provisioning.stop();
    const connection = await mongoose.createConnection(MONGO_URL!, { dbName: `e2e-${run}-provisioning` }).asPromise();
    await connection.dropDatabase();
    await connection.close();
    await services.provisioning.start();

    // Its known customers are rebuilt from the topic, not resumed from the old group's offsets.
    const again = await eventually(
      () => provisioning('POST', `/customers/${earlier.body.id}/tenants`, { tenantId: randomUUID(), primaryDomain: `c${randomUUID().slice(0, 8)}.onmicrosoft.com` }),
      (answer) => answer.status === 201,
    );
    expect(again.status).toBe(201);
    // Its own read models come back from its event store: the first tenant is listed again.
    const tenants = await eventually(() => provisioning('GET', `/customers/${earlier.body.id}/tenants`), (answer) => answer.body?.total === 2);
    expect(tenants.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: known.body.id }), expect.objectContaining({ id: again.body.id })] });
  }, 120_000);

  it('seed 000 over Kafka: placed lines become ACTIVE subscriptions, the contract service learns them, the contract is confirmed → 契約中', async () => {
    const { placed, subscriptions, created, confirmed } = await activeContract([{ sku: 'MS-O365-E1', quantity: 3 }, { sku: 'MS-PROJECT-P1', quantity: 1 }], { subject: 'E1 と Project' });
    expect(subscriptions).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: 'MS-O365-E1', status: 'ACTIVE', vendorSubscriptionId: expect.stringMatching(/^[0-9A-F-]{36}$/) })]),
    );
    expect(created).toMatchObject({ status: 'PENDING', statusLabel: '新規契約手続中', contractNumber: expect.stringMatching(/^NCN202605-\d{10}$/) });
    expect(confirmed).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true });
    expect(confirmed.lines.every((line: { startDate: string; subscriptionId: string }) => line.startDate === '2026-05-20' && line.subscriptionId)).toBe(true);
    const listed = await eventually(
      () => contract('GET', `/contracts?customerId=${placed.customerId}`),
      (answer) => answer.body?.items?.[0]?.status === 'ACTIVE',
    );
    expect(listed.body).toMatchObject({ total: 1, items: [expect.objectContaining({ contractNumber: created.contractNumber, billing: true })] });
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

  /** A message of contract change `changeId` of the given type (contract.events, provisioning.events). */
  const ofChange = (changeId: string, type: string) => (message: RecordedMessage) => message.envelope.type === type && message.envelope.data?.changeId === changeId;
  const changeOf = (changeId: string) => contract('GET', `/contract-changes/${changeId}`);
  const vendorAnswered = (answer: Answer) => answer.body?.lines?.length > 0 && answer.body.lines.every((line: { vendorStatus: string }) => line.vendorStatus !== 'PENDING');
  /** A restarted service's consumer groups wait for the killed member's session (10 s) to end before they get its partitions. */
  const AFTER_RESTART_MS = 60_000;

  it('seed 001 over Kafka: 解約 of the 3 E1 seats → accept → link; the contract service is killed (-9) while the vendor answer travels and restarted: the answer is not lost, 解約確定 needs no force, E1 解約済, Project 契約中, each change event published once', async () => {
    const { confirmed: active } = await activeContract([{ sku: 'MS-O365-E1', quantity: 3 }, { sku: 'MS-PROJECT-P1', quantity: 2 }], { subject: '解約テスト' });
    const e1 = active.lines.find((line) => line.sku === 'MS-O365-E1')!;
    const project = active.lines.find((line) => line.sku === 'MS-PROJECT-P1')!;

    // 1. 解約手続き
    const requested = await contract('POST', `/contracts/${active.id}/cancellations`, { lines: [{ lineId: e1.id, quantity: 3 }], requestedOn: '2026-06-10' });
    expect(requested).toMatchObject({
      status: 201,
      body: {
        contractId: active.id,
        contractNumber: active.contractNumber,
        type: 'CANCELLATION',
        status: 'APPLIED',
        requestedOn: '2026-06-10',
        lines: [expect.objectContaining({ lineId: e1.id, quantity: 3, currentQuantity: 3, newQuantity: 0, linkStatus: 'NOT_LINKED' })],
      },
    });
    const changeId: string = requested.body.id;

    // 2. 受付, 3. 解約連携
    expect(await contract('POST', `/contract-changes/${changeId}/accept`)).toMatchObject({ status: 200, body: { status: 'ACCEPTED' } });
    const linked = await contract('POST', `/contract-changes/${changeId}/link-cancellation`, { lineIds: [e1.id] });
    expect(linked).toMatchObject({ status: 200, body: { lines: [expect.objectContaining({ lineId: e1.id, linkStatus: 'LINKED', vendorStatus: 'PENDING' })] } });

    // CancellationLinked is on contract.events: provisioning calls the vendor now, who answers after
    // PARTNER_CENTER_LATENCY_MS. Meanwhile the contract service dies hard (a moment after the
    // publication, so its forwarder has checkpointed it and has nothing to publish again).
    await contractEvents.waitFor((messages) => messages.some(ofChange(changeId, 'CancellationLinked')), 20_000, 5);
    await sleep(50);
    await services.contract.kill9();
    const killedAt = Date.now();

    // The answer travels while no contract service listens: SubscriptionCancelled waits on provisioning.events.
    await provisioningEvents.waitFor((messages) => messages.some(ofChange(changeId, 'SubscriptionCancelled')));
    const answer = provisioningEvents.messages.find(ofChange(changeId, 'SubscriptionCancelled'))!;
    expect(answer.timestamp).toBeGreaterThan(killedAt);
    expect(answer.envelope.data).toMatchObject({ subscriptionId: e1.subscriptionId, status: 'CANCELLED', cancelledQuantity: 3, remainingQuantity: 0 });

    // Back up, the vendor-answers group resumes from its committed offset: the answer is recorded.
    await services.contract.start();
    const answered = await eventually(() => changeOf(changeId), vendorAnswered, AFTER_RESTART_MS);
    expect(answered).toMatchObject({ status: 200, body: { status: 'ACCEPTED', lines: [expect.objectContaining({ lineId: e1.id, linkStatus: 'LINKED', vendorStatus: 'CONFIRMED' })] } });

    // 4. 解約確定, no force needed
    const completed = await contract('POST', `/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-06-30' });
    expect(completed).toMatchObject({ status: 200, body: { status: 'COMPLETED', endDate: '2026-06-30', forced: false } });

    const after = await contract('GET', `/contracts/${active.id}`);
    expect(after.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true, endDate: null });
    expect(after.body.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: e1.id, status: 'CANCELLED', statusLabel: '解約済', quantity: 3, endDate: '2026-06-30', cancelledOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
        expect.objectContaining({ id: project.id, status: 'ACTIVE', statusLabel: '契約中', quantity: 2, endDate: null }),
      ]),
    );
    expect(await provisioning('GET', `/provisioning/subscriptions/${e1.subscriptionId}`)).toMatchObject({ status: 200, body: { status: 'CANCELLED', quantity: 0 } });
    expect(await provisioning('GET', `/provisioning/subscriptions/${project.subscriptionId}`)).toMatchObject({ status: 200, body: { status: 'ACTIVE', quantity: 2 } });

    // 契約変更一覧 (Mongo read model of the restarted service) and the change's own history: the vendor answer once.
    const listed = await eventually(() => contract('GET', `/contract-changes?contractId=${active.id}`), (list) => list.body?.items?.[0]?.status === 'COMPLETED');
    expect(listed.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: changeId, status: 'COMPLETED' })] });
    const history = await contract('GET', `/contract-changes/${changeId}/history`);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual([
      'ContractChangeRequested',
      'ContractChangeAccepted',
      'CancellationLinked',
      'VendorConfirmationRecorded',
      'CancellationConfirmed',
    ]);

    // contract.events carries each published event of the change once, keyed by the change. Delivery is at
    // least once: a kill between the broker's ack and the forwarder's checkpoint may publish an event again,
    // with the same event id (consumers dedupe by it), so the events are counted by id.
    await contractEvents.waitFor((messages) => messages.some(ofChange(changeId, 'CancellationConfirmed')));
    const ofThisChange = contractEvents.messages.filter((message) => message.envelope.data?.changeId === changeId);
    const published = ofThisChange.filter((message, index) => ofThisChange.findIndex((other) => other.envelope.eventId === message.envelope.eventId) === index);
    expect(published.map((message) => message.envelope.type)).toEqual(['ContractChangeRequested', 'ContractChangeAccepted', 'CancellationLinked', 'CancellationConfirmed']);
    expect(published.every((message) => message.key === changeId)).toBe(true);
    expect(published[3].envelope.data).toMatchObject({
      contractId: active.id,
      endDate: '2026-06-30',
      forced: false,
      lines: [expect.objectContaining({ lineId: e1.id, subscriptionId: e1.subscriptionId, cancelledQuantity: 3, remainingQuantity: 0 })],
    });
    expect(provisioningEvents.messages.filter(ofChange(changeId, 'SubscriptionCancelled'))).toHaveLength(1);
  }, 180_000);

  it('seed 001 全選択 over Kafka, provisioning killed (-9) before the vendor answered: after its restart the subscription is cancelled once, 解約確定 → the contract 解約済, billing off', async () => {
    const { confirmed: active } = await activeContract([{ sku: 'MS-O365-E1', quantity: 2 }], { subject: '全解約テスト' });
    const [line] = active.lines;
    const requested = await contract('POST', `/contracts/${active.id}/cancellations`, { all: true });
    expect(requested).toMatchObject({ status: 201, body: { status: 'APPLIED', lines: [expect.objectContaining({ lineId: line.id, quantity: 2, newQuantity: 0 })] } });
    const changeId: string = requested.body.id;
    expect((await contract('POST', `/contract-changes/${changeId}/accept`)).status).toBe(200);
    expect((await contract('POST', `/contract-changes/${changeId}/link-cancellation`, {})).status).toBe(200);

    // Provisioning dies while it asks the vendor (or before it read CancellationLinked).
    await contractEvents.waitFor((messages) => messages.some(ofChange(changeId, 'CancellationLinked')), 20_000, 5);
    await services.provisioning.kill9();
    expect(provisioningEvents.messages.some(ofChange(changeId, 'SubscriptionCancelled'))).toBe(false);
    const early = await contract('POST', `/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-06-30' });
    expect(early).toMatchObject({ status: 409, body: { code: 'SUPPLIER_NOT_CONFIRMED' } });
    await services.provisioning.start();

    const answered = await eventually(() => changeOf(changeId), vendorAnswered, AFTER_RESTART_MS);
    expect(answered.body.lines).toEqual([expect.objectContaining({ lineId: line.id, vendorStatus: 'CONFIRMED' })]);
    const completed = await contract('POST', `/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-06-30' });
    expect(completed).toMatchObject({ status: 200, body: { status: 'COMPLETED', forced: false } });

    // The billing flag follows billing's schedule: billing reads the confirmation from contract.events and
    // publishes the line's charging end back on billing.events, so the flag turns off a moment later.
    const after = await eventually(() => contract('GET', `/contracts/${active.id}`), (answer) => answer.body?.billing === false);
    expect(after.body).toMatchObject({ status: 'CANCELLED', statusLabel: '解約済', billing: false, endDate: '2026-06-30', cancelledOn: expect.any(String) });
    expect(after.body.lines).toEqual([expect.objectContaining({ id: line.id, status: 'CANCELLED', endDate: '2026-06-30' })]);
    expect(await provisioning('GET', `/provisioning/subscriptions/${line.subscriptionId}`)).toMatchObject({ status: 200, body: { status: 'CANCELLED', quantity: 0 } });
    // The vendor call repeated after the restart cancelled once: one answer on provisioning.events.
    expect(provisioningEvents.messages.filter(ofChange(changeId, 'SubscriptionCancelled'))).toHaveLength(1);
  }, 180_000);

  it('renewal over Kafka: an annual ポケトーク term renewed once by the renewal run (repeated) reaches the billing service as ContractLineRenewed, and the renewal month invoices the next year', async () => {
    const placed = await placedOrder([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }], '2026-05-15');
    const waiting = await eventually(() => subscriptionsOf(placed.id), (answer) => answer.body?.items?.[0]?.status === 'MANUAL_PROVISIONING');
    expect((await provisioning('POST', `/provisioning/subscriptions/${waiting.body.items[0].id}/activate`, {}, DISTRIBUTOR)).status).toBe(200);
    const created = await eventually(
      () => contract('POST', '/contracts', { orderId: placed.id, lineIds: [placed.lines[0].id], subject: '更新テスト', subjectForForms: '更新テスト', contractDate: '2026-05-20' }),
      (answer) => answer.status === 201,
    );
    const confirmed = await eventually(() => contract('POST', `/contracts/${created.body.id}/confirm`, { startDate: '2026-05-20' }), (answer) => answer.status === 200);
    const [line] = confirmed.body.lines as { id: string; termEndDate: string; autoRenew: boolean }[];
    expect(line).toMatchObject({ autoRenew: true, termEndDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const renewOn = new Date(Date.parse(`${line.termEndDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    // Distributor staff only; run twice, renewed once.
    expect((await contract('POST', '/contracts/renewal-runs', { date: renewOn })).status).toBe(403);
    const runs = [await contract('POST', '/contracts/renewal-runs', { date: renewOn }, DISTRIBUTOR), await contract('POST', '/contracts/renewal-runs', { date: renewOn }, DISTRIBUTOR)];
    expect(runs.map((run) => run.status)).toEqual([200, 200]);
    const mine = runs.flatMap((run) => run.body.contracts).filter((row: { contractId: string }) => row.contractId === created.body.id);
    expect(mine).toEqual([expect.objectContaining({ renewedLineIds: [line.id] })]);

    // ContractLineRenewed once on contract.events (by event id: delivery is at least once), read by billing's group.
    const renewed = (message: RecordedMessage) => message.envelope.type === 'ContractLineRenewed' && message.envelope.data?.contractId === created.body.id;
    await contractEvents.waitFor((messages) => messages.some(renewed));
    expect(new Set(contractEvents.messages.filter(renewed).map((message) => message.envelope.eventId)).size).toBe(1);
    await consumedBy(KAFKA_BROKERS!.split(','), 'billing.contract-events', 'contract.events', contractEvents.messages.find(renewed)!, 60_000);

    // The renewal month's run invoices the renewed year, a year at a time, to the customer.
    const month = renewOn.slice(0, 7);
    const run = await billing('POST', '/billing/runs', { month }, DISTRIBUTOR);
    expect(run.status).toBe(200);
    const issued = (run.body.invoices as { id: string; customerId: string }[]).filter((invoice) => invoice.customerId === placed.customerId);
    expect(issued).toHaveLength(1);
    const invoice = await billing('GET', `/invoices/${issued[0].id}`);
    expect(invoice.body.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'ANNUAL', sku: 'SN-POCKETALK-SI-Y', quantity: 2, amount: 2 * 24710, periodStart: renewOn })]),
    );
  }, 180_000);

  it('billing over Kafka: a contract confirmed (3 × E1 from 7/1) → the 2026-07 run invoices 2,610 + tax 261 = 2,871 to the customer learnt from order.events, InvoiceIssued once on billing.events; billing killed (-9) and restarted: running July again issues nothing twice', async () => {
    const { placed, confirmed } = await activeContract([{ sku: 'MS-O365-E1', quantity: 3 }], { subject: '請求テスト', contractDate: '2026-07-01' });
    const customerId = placed.customerId;
    type Issued = { id: string; number: string; customerId: string; total: number };
    const runJuly = () => billing('POST', '/billing/runs', { month: '2026-07' }, DISTRIBUTOR);
    const mineIn = (answer: Answer): Issued[] => (answer.body?.invoices ?? []).filter((issued: Issued) => issued.customerId === customerId);

    // The invoice's recipient is what the billing service learnt from CustomerRegistered on order.events, through a
    // consumer group of its own that runs independently of the one reading contract.events: wait until it has read it.
    const registered = (message: RecordedMessage) => message.envelope.type === 'CustomerRegistered' && message.envelope.data?.customerId === customerId;
    await orderEvents.waitFor((messages) => messages.some(registered));
    await consumedBy(KAFKA_BROKERS!.split(','), await groupOf('billing', 'billing.billing-known-customers'), 'order.events', orderEvents.messages.find(registered)!, 60_000);

    // Only distributor staff run billing.
    expect((await billing('POST', '/billing/runs', { month: '2026-07' })).status).toBe(403);

    // ContractConfirmed reaches the billing service over Kafka a moment later: until then the run has nothing
    // for this customer (and issues nothing for it: a run burns no number for a customer with nothing new).
    const first = await eventually(runJuly, (answer) => answer.status === 200 && mineIn(answer).length > 0, 30_000);
    expect(first.status).toBe(200);
    const [mine] = mineIn(first);
    expect(mineIn(first)).toHaveLength(1);
    expect(mine).toMatchObject({ number: expect.stringMatching(/^INV202607-\d{10}$/), total: 2871 });

    const invoice = await billing('GET', `/invoices/${mine.id}`);
    expect(invoice).toMatchObject({
      status: 200,
      body: {
        id: mine.id,
        kind: 'INVOICE',
        number: mine.number,
        customerId,
        resellerId: 'r-direct',
        month: '2026-07',
        periodLabel: '2026年7月分',
        issuedOn: '2026-07-01',
        issuer: INVOICE_ISSUER,
        // The customer's company name: CustomerRegistered on order.events, projected by the billing service.
        recipientName: customerBody.companyName,
        subtotal: 2610,
        tax: 261,
        total: 2871,
        taxes: [{ rate: 10, taxableAmount: 2610, tax: 261 }],
      },
    });
    expect(invoice.body.lines).toEqual([
      expect.objectContaining({
        kind: 'MONTHLY',
        contractId: confirmed.id,
        contractNumber: confirmed.contractNumber,
        lineId: confirmed.lines[0].id,
        sku: 'MS-O365-E1',
        productName: 'Office 365 E1',
        periodStart: '2026-07-01',
        periodEnd: '2026-07-31',
        quantity: 3,
        unitPrice: 870,
        amount: 2610,
        purchaseOrderNumber: `PO-${run}`,
      }),
    ]);
    // 請求書一覧 of the customer, as its reseller sees it.
    expect(await billing('GET', `/invoices?customerId=${customerId}`)).toMatchObject({ status: 200, body: { total: 1, items: [expect.objectContaining({ id: mine.id })] } });

    // billing.events carries the invoice once (counted by event id: delivery is at least once), keyed by the customer.
    const invoiceIssued = (message: RecordedMessage) => message.envelope.type === 'InvoiceIssued' && message.envelope.data?.customerId === customerId;
    await billingEvents.waitFor((messages) => messages.some(invoiceIssued));
    const distinctIssued = () => new Set(billingEvents.messages.filter(invoiceIssued).map((message) => message.envelope.eventId));
    expect(distinctIssued().size).toBe(1);
    const message = billingEvents.messages.find(invoiceIssued)!;
    expect(message.key).toBe(customerId);
    expect(message.headers).toMatchObject({ eventType: 'InvoiceIssued', schemaVersion: '1', eventId: message.envelope.eventId });
    expect(message.envelope).toMatchObject({
      type: 'InvoiceIssued',
      schemaVersion: 1,
      streamId: `billingAccount-${customerId}`,
      data: {
        invoiceId: mine.id,
        invoiceNumber: mine.number,
        customerId,
        month: '2026-07',
        issuer: INVOICE_ISSUER,
        recipientName: customerBody.companyName,
        subtotal: 2610,
        tax: 261,
        total: 2871,
        lines: [expect.objectContaining({ contractNumber: confirmed.contractNumber, amount: 2610 })],
      },
    });

    // Running July again issues nothing for the customer.
    const again = await runJuly();
    expect(again.status).toBe(200);
    expect(mineIn(again)).toEqual([]);

    // kill -9 and a restart: the ledger (the customer's billingAccount stream) survives; July again issues nothing twice.
    await services.billing.kill9();
    await services.billing.start();
    const afterRestart = await runJuly();
    expect(afterRestart.status).toBe(200);
    expect(afterRestart.body.customers).toBeGreaterThan(0);
    expect(mineIn(afterRestart)).toEqual([]);
    expect(await billing('GET', `/invoices?customerId=${customerId}`)).toMatchObject({ status: 200, body: { total: 1, items: [expect.objectContaining({ id: mine.id, number: mine.number })] } });
    const history = await billing('GET', `/invoices/${mine.id}/history`);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual(['InvoiceIssued']);
    // A moment for the restarted forwarder: whatever it republishes carries the same event id.
    await sleep(2000);
    expect(distinctIssued().size).toBe(1);
  }, 180_000);
});
