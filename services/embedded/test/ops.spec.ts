import { randomUUID } from 'crypto';
import { Delivery } from '@lp/messaging';
import { EventEnvelope } from '@lp/eventsourcing';
import {
  BillingIntegrationEvent,
  ContractChangeIntegrationEvent,
  ContractIntegrationEvent,
  EVENT_CONTRACTS,
  OrderIntegrationEvent,
  ProvisioningIntegrationEvent,
  TenantEvent,
} from '@lp/integration-events';
import { NOTICE_MAIL_REJECTED, NOTICE_MAIL_SENT } from '@lp/notifications';
import type { BillingAccountEvent } from '../../billing/src/domain/billing-account';
import type { BillingLineEvent } from '../../billing/src/domain/billing-line.decider';
import type { ContractEvent } from '../../contract/src/domain/contract/events';
import type { ContractChangeEvent } from '../../contract/src/domain/contract-change/events';
import type { ContractCreationAbandoned, LineReservationEvent } from '../../contract/src/domain/line-reservations';
import type { CustomerEvent } from '../../order/src/domain/customer';
import type { OrderEvent } from '../../order/src/domain/order-events';
import type { SubscriptionEvent } from '../../provisioning/src/domain/subscription/events';
import { INTERNAL_EVENT_PII, InternalEventType } from '../../../libs/runtime/src/ops/internal-event-pii';
import type { OpsJournalEvent } from '../../../libs/runtime/src/ops/ops-journal';
import { failingConsumer } from './support/failing-consumer';
import { asDistributor, Harness, readyCustomer } from './support/harness';

/** Every event type the four services' stores hold (their streams, the notice outbox, the ops journal). */
type StoredEventType =
  | (OrderEvent | CustomerEvent | SubscriptionEvent | TenantEvent | ContractEvent | ContractChangeEvent | LineReservationEvent | ContractCreationAbandoned)['type']
  | (BillingLineEvent | BillingAccountEvent | OpsJournalEvent)['type']
  | typeof NOTICE_MAIL_SENT
  | typeof NOTICE_MAIL_REJECTED
  // Named at run time (DocumentNumbers, the tenant claim): no union to take them from.
  | `${'Order' | 'Contract' | 'Invoice'}Number${'SequenceAdvanced' | 'Reserved'}`
  | 'MicrosoftTenantClaimed';
type PublishedEventType = (OrderIntegrationEvent | ProvisioningIntegrationEvent | ContractIntegrationEvent | ContractChangeIntegrationEvent | BillingIntegrationEvent)['type'];
/*
 * The export masks a published event by its schema and an internal one by INTERNAL_EVENT_PII (a type
 * in neither is masked whole). `npm test` type-checks before it runs: an internal event type added
 * without a declaration, a declaration of a type no store holds, or one that shadows a schema fails here.
 */
const everyInternalTypeDeclared: [Exclude<StoredEventType, PublishedEventType | InternalEventType>] extends [never] ? true : 'undeclared' = true;
const noStaleDeclaration: [Exclude<InternalEventType, StoredEventType>] extends [never] ? true : 'stale' = true;
const noPublishedTypeDeclared: [Extract<InternalEventType, PublishedEventType>] extends [never] ? true : 'shadows a schema' = true;

/**
 * The /ops routes against the embedded app: projections rebuilt blue/green without republishing
 * anything, dead letters re-driven and discarded (journalled), republish with the original ids and
 * `replay: true`, a rewind's dry-run count, and the NDJSON audit export with and without masking.
 */
describe('ops', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  const ops = () => h.http(asDistributor);
  const ndjson = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EventEnvelope & { position: number });

  it('lists projections with state, version, lag and no error, and rebuilds one blue/green without publishing again', async () => {
    const { customerId } = await readyCustomer(h);
    const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 2 }] }).expect(201)).body;
    const published = (await h.publishedOn('order.events')).length;

    const before = (await ops().get('/ops/projections').expect(200)).body.items;
    const screens = before.find((row: { name: string }) => row.name === 'order-screens');
    expect(screens).toMatchObject({ service: 'order', state: 'running', lag: 0, lastError: null, checkpoint: expect.any(Number) });

    const rebuilt = (await ops().post('/ops/projections/order-screens/rebuild').expect(200)).body;
    expect(rebuilt).toMatchObject({ service: 'order', name: 'order-screens', state: 'running', version: screens.version + 1 });
    expect((await h.http().get(`/orders/${order.id}`).expect(200)).body.id).toBe(order.id);
    // Only the projection replayed: the forwarder published nothing new.
    expect(await h.publishedOn('order.events')).toHaveLength(published);

    const started = await ops().post('/ops/projections/order-screens/rebuild?wait=false').expect(202);
    expect(started.body).toMatchObject({ name: 'order-screens' });
    await h.embedded.runtimes.order.projectionsCaughtUp();
  });

  it('lists the projections of other services\' events with their consumer group and lag, and rebuilds one blue/green: the service still knows every customer', async () => {
    const { customerId } = await readyCustomer(h, { companyName: '株式会社再構築' });
    await h.embedded.runtimes.provisioning.caughtUp();

    const listed = (await ops().get('/ops/projections').expect(200)).body.items;
    const known = listed.find((row: { name: string }) => row.name === 'provisioning.known-customers');
    expect(known).toMatchObject({ service: 'provisioning', source: 'bus', state: 'running', topics: ['order.events'], lag: 0, lastError: null });

    const rebuilt = (await ops().post('/ops/projections/provisioning.known-customers/rebuild').expect(200)).body;
    expect(rebuilt).toMatchObject({ service: 'provisioning', name: 'provisioning.known-customers', state: 'running', version: known.version + 1 });
    const after = (await ops().get('/ops/projections').expect(200)).body.items.find((row: { name: string }) => row.name === 'provisioning.known-customers');
    expect(after).toMatchObject({ version: known.version + 1, groupId: `${known.groupId}.v${known.version + 1}`, lag: 0 });
    // Provisioning refuses tenants of customers it does not know: the rebuilt version knows this one.
    const tenantId = randomUUID();
    await h.http().post(`/customers/${customerId}/tenants`, { tenantId, primaryDomain: `c${tenantId.slice(0, 8)}.onmicrosoft.com` }).expect(201);
  });

  it('exports a topic as NDJSON with metadata, and masks personal data on request', async () => {
    const { customerId } = await readyCustomer(h, { companyName: '株式会社エクスポート' });
    const stream = `customer-${customerId}`;

    const plain = await ops().get(`/ops/events/export?topic=order.events&stream=${stream}`).expect(200);
    expect(plain.headers['content-type']).toMatch(/application\/x-ndjson/);
    const [registered] = ndjson(plain.text);
    expect(registered).toMatchObject({
      type: 'CustomerRegistered',
      streamId: stream,
      correlationId: expect.any(String),
      causationId: expect.any(String),
      actor: expect.objectContaining({ id: expect.any(String) }),
      position: expect.any(Number),
    });
    expect((registered.data as { contact: { email: string } }).contact.email).toBe('yamada@example.co.jp');

    const masked = ndjson((await ops().get(`/ops/events/export?topic=order.events&stream=${stream}&maskPii=true`).expect(200)).text);
    const data = masked[0].data as { contact: Record<string, string>; companyName: string; customerId: string };
    expect(data.contact).toEqual({ name: '***', phone: '***', email: '***' });
    // Only what the schema declares personal is masked.
    expect(data.companyName).toBe('株式会社エクスポート');
    expect(data.customerId).toBe(customerId);
    expect(masked[0].eventId).toBe(registered.eventId);

    const byType = ndjson((await ops().get('/ops/events/export?topic=order.events&type=OrderPlaced').expect(200)).text);
    expect(byType.every((event) => event.type === 'OrderPlaced')).toBe(true);
    const future = await ops().get('/ops/events/export?topic=order.events&from=2099-01-01T00:00:00Z').expect(200);
    expect(future.text).toBe('');
    await ops().get('/ops/events/export?topic=nope.events').expect(404);
    await ops().get('/ops/events/export?topic=order.events&type=InvoiceIssued').expect(422);
    await ops().get('/ops/events/export?topic=order.events&from=yesterday').expect(400);
  });

  it("exports a service's whole store: an order's internal events, and the ops journal with who discarded what and why", async () => {
    const { customerId } = await readyCustomer(h);
    const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
    const stream = `order-${order.id}`;

    const whole = await ops().get(`/ops/events/export?service=order&stream=${stream}`).expect(200);
    const stored = ndjson(whole.text);
    expect(stored[0]).toMatchObject({ type: 'OrderCreated', streamId: stream, data: { orderId: order.id }, actor: { id: expect.any(String) }, correlationId: expect.any(String) });
    expect(Number(whole.headers['x-head-position'])).toBeGreaterThanOrEqual(stored.at(-1)!.position);
    // A topic still exports only what was published on it.
    const published = ndjson((await ops().get(`/ops/events/export?topic=order.events&stream=${stream}`).expect(200)).text);
    expect(published.map((event) => event.type)).not.toContain('OrderCreated');

    const { topic, consumer, envelopes } = await failingConsumer(h, 'k-audit');
    const [parked] = (await ops().get(`/ops/dlq?topic=${topic}`).expect(200)).body.items;
    await ops().post(`/ops/dlq/${encodeURIComponent(parked.id)}/discard`, { reason: 'poison message, fixed by hand' }).expect(200);
    await consumer.stop();

    const journal = ndjson((await ops().get('/ops/events/export?service=order&stream=ops-journal').expect(200)).text);
    expect(journal.every((event) => event.streamId === 'ops-journal')).toBe(true);
    expect(journal.find((event) => (event.data as { deadLetterId?: string }).deadLetterId === parked.id)).toMatchObject({
      type: 'DeadLetterDiscarded',
      actor: { id: 'u-distributor-admin-dist' },
      data: { topic, eventId: envelopes[0].eventId, reason: 'poison message, fixed by hand' },
    });
    const discards = ndjson((await ops().get('/ops/events/export?service=order&type=DeadLetterDiscarded').expect(200)).text);
    expect(discards.map((event) => (event.data as { deadLetterId: string }).deadLetterId)).toContain(parked.id);

    const onTopic = await ops().get('/ops/events/export?topic=order.events&type=DeadLetterDiscarded').expect(422);
    expect(onTopic.body.detail).toMatch(/service=order/);
    await ops().get('/ops/events/export?service=nope').expect(404);
    await ops().get('/ops/events/export?service=order&topic=order.events').expect(422);
    await ops().get('/ops/events/export').expect(422);
  });

  it('masks a whole-store export: published events by their schemas, internal ones by the declared list, the actor always', async () => {
    const { customerId } = await readyCustomer(h, { companyName: '株式会社マスク' });
    const customer = ndjson((await ops().get(`/ops/events/export?service=order&stream=customer-${customerId}&maskPii=true`).expect(200)).text);
    const data = customer[0].data as { contact: Record<string, string>; companyName: string };
    expect(data.contact).toEqual({ name: '***', phone: '***', email: '***' });
    expect(data.companyName).toBe('株式会社マスク');

    const agreements = ndjson((await ops().get('/ops/events/export?service=provisioning&type=CustomerAgreementAccepted&maskPii=true').expect(200)).text);
    const agreed = agreements.find((event) => (event.data as { customerId: string }).customerId === customerId)!;
    expect((agreed.data as { contact: object }).contact).toEqual({ firstName: '***', lastName: '***', email: '***' });

    const journal = ndjson((await ops().get('/ops/events/export?service=order&stream=ops-journal&maskPii=true').expect(200)).text);
    const discard = journal.find((event) => event.type === 'DeadLetterDiscarded')!;
    // The journal holds no customer data: the reason stays readable, the operator's name does not.
    expect(discard.actor).toMatchObject({ id: 'u-distributor-admin-dist', name: '***' });
    expect((discard.data as { reason: string }).reason).toBe('poison message, fixed by hand');

    // What the stores hold after these flows is all declared: nothing had to be masked blind.
    const declared = new Set([...EVENT_CONTRACTS.map((contract) => contract.type), ...Object.keys(INTERNAL_EVENT_PII)]);
    for (const service of ['order', 'provisioning', 'contract', 'billing']) {
      const types = new Set(ndjson((await ops().get(`/ops/events/export?service=${service}`).expect(200)).text).map((event) => event.type));
      expect([...types].filter((type) => !declared.has(type))).toEqual([]);
    }
    expect([everyInternalTypeDeclared, noStaleDeclaration, noPublishedTypeDeclared]).toEqual([true, true, true]);
  });

  it('republishes stored events with their original ids and replay: true, after a dry-run count', async () => {
    const { customerId } = await readyCustomer(h);
    const stream = `customer-${customerId}`;
    const dryRun = (await ops().post('/ops/republish', { topic: 'order.events', stream }).expect(200)).body;
    expect(dryRun).toEqual({ dryRun: true, topic: 'order.events', count: 1, lastPosition: expect.any(Number) });

    await h.settle();
    const seen: { event: EventEnvelope; delivery: Delivery }[] = [];
    const bus = h.embedded.runtimes.order.adapters.bus;
    const subscriber = await bus.subscribe({ groupId: `new-downstream-${randomUUID()}`, topics: ['order.events'], handler: async (event, delivery) => void seen.push({ event, delivery }) });
    await subscriber.caughtUp();
    const original = seen.find(({ event }) => event.streamId === stream)!;
    seen.length = 0;

    const sent = (await ops().post('/ops/republish', { topic: 'order.events', stream, confirm: true }).expect(200)).body;
    expect(sent).toMatchObject({ dryRun: false, count: 1 });
    await subscriber.caughtUp();
    await subscriber.stop();
    expect(seen).toHaveLength(1);
    expect(seen[0].event.eventId).toBe(original.event.eventId);
    expect(seen[0].delivery.headers).toEqual({ replay: 'true' });

    const journal = await h.embedded.runtimes.order.eventStore.readStream('ops-journal');
    expect(journal.at(-1)).toMatchObject({ type: 'EventsRepublished', data: { topic: 'order.events', count: 1 }, actor: { id: 'u-distributor-admin-dist' } });
    await ops().post('/ops/republish', { topic: 'order.events', from: 'soon' }).expect(400);
  });

  it('re-drives a dead letter to its group after a dry run, and discards another with a reason in the journal', async () => {
    const { topic, groupId, consumer, envelopes, state } = await failingConsumer(h, 'k1', 'k2');
    const [first, second] = envelopes;
    const handled = state.handled;

    const listed = (await ops().get(`/ops/dlq?topic=${topic}`).expect(200)).body;
    expect(listed.total).toBe(2);
    expect(listed.items[0]).toMatchObject({ topic, groupId, key: 'k1', eventId: first.eventId, eventType: 'ThingHappened', error: 'downstream is down', status: 'parked' });
    expect(listed.items[0].attempts).toBeGreaterThan(1);
    const shown = (await ops().get(`/ops/dlq/${encodeURIComponent(listed.items[0].id)}`).expect(200)).body;
    expect(shown.event.eventId).toBe(first.eventId);
    await ops().get('/ops/dlq/nope').expect(404);

    const dryRun = (await ops().post('/ops/dlq/redrive', { topic, key: 'k1' }).expect(200)).body;
    expect(dryRun).toMatchObject({ dryRun: true, count: 1 });
    expect(handled).toEqual([]);

    state.healed = true;
    const moved = (await ops().post('/ops/dlq/redrive', { topic, key: 'k1', confirm: true }).expect(200)).body;
    expect(moved).toMatchObject({ dryRun: false, count: 1 });
    await consumer.caughtUp();
    expect(handled).toEqual([first.eventId]);

    const secondId = listed.items[1].id;
    await ops().post(`/ops/dlq/${encodeURIComponent(secondId)}/discard`, {}).expect(400);
    const discarded = (await ops().post(`/ops/dlq/${encodeURIComponent(secondId)}/discard`, { reason: 'test message, never real' }).expect(200)).body;
    expect(discarded).toMatchObject({ status: 'discarded', settled: { reason: 'test message, never real' } });
    await ops().post(`/ops/dlq/${encodeURIComponent(secondId)}/discard`, { reason: 'again' }).expect(409);
    expect((await ops().get(`/ops/dlq?topic=${topic}`).expect(200)).body.total).toBe(0);

    const journal = await h.embedded.runtimes.order.eventStore.readStream('ops-journal');
    expect(journal.map((event) => event.type)).toEqual(expect.arrayContaining(['DeadLettersRedriven', 'DeadLetterDiscarded']));
    expect(journal.find((event) => event.type === 'DeadLetterDiscarded' && (event.data as { deadLetterId: string }).deadLetterId === secondId)).toMatchObject({
      data: { deadLetterId: secondId, reason: 'test message, never real', eventId: second.eventId },
      actor: { id: 'u-distributor-admin-dist' },
    });
    await consumer.stop();
  });

  it('rewinds a consumer group after a dry run that states how many messages it will handle again', async () => {
    await readyCustomer(h);
    await h.settle();
    const consumers = (await ops().get('/ops/consumers').expect(200)).body.items;
    const group = consumers.find((consumer: { kind: string; topics?: string[] }) => consumer.kind === 'bus-group' && consumer.topics?.includes('order.events'));
    expect(group).toBeDefined();
    expect(consumers.some((consumer: { kind: string }) => consumer.kind === 'store-reactor')).toBe(true);
    const onTopic = (await h.publishedOn('order.events')).length;

    const dryRun = (await ops().post(`/ops/consumers/${group.name}/rewind`, { toPosition: 0 }).expect(200)).body;
    expect(dryRun).toMatchObject({ dryRun: true, count: onTopic });
    const future = (await ops().post(`/ops/consumers/${group.name}/rewind`, { toInstant: '2099-01-01T00:00:00Z' }).expect(200)).body;
    expect(future.count).toBe(0);

    const rewound = (await ops().post(`/ops/consumers/${group.name}/rewind`, { toPosition: 0, confirm: true }).expect(200)).body;
    expect(rewound).toMatchObject({ dryRun: false, count: onTopic });
    await h.settle();
    // Handled again (idempotently): nothing is left to redeliver.
    expect((await ops().post(`/ops/consumers/${group.name}/rewind`, { toInstant: '2099-01-01T00:00:00Z' }).expect(200)).body.count).toBe(0);
    await ops().post(`/ops/consumers/${group.name}/rewind`, {}).expect(422);
    await ops().post('/ops/consumers/nope/rewind', { toPosition: 0 }).expect(404);
  });
});
