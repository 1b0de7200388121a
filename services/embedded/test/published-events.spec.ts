import { Parser } from '@asyncapi/parser';
import { aggregateIdOf, EventEnvelope } from '@lp/eventsourcing';
import { contractsOn, EVENT_CONTRACTS, findContract, TOPICS } from '@lp/integration-events';
import { CommittedSchemas } from '../../../libs/integration-events/test/support/committed-schemas';
import { cancelSeats, nextMonth, runBilling, streamOneContract } from '../../billing/test/http/support';
import { activeContract, changeOnceVendorAnswered } from '../../contract/test/http/change-support';
import { FAST_RETRY, simulatedVendors, subscriptionsOf } from '../../provisioning/test/http/support';
import { asDirect, asDistributor, Harness, placeOrder, readyCustomer } from './support/harness';

/**
 * Every event the main flows publish (order to billing run and credit note, changes, vendor
 * failures, StreamOne), on every topic, against the COMMITTED contract of its type
 * and schemaVersion (schemas/events): a producer that drifts from what subscribers were promised
 * — a renamed or missing field, an undeclared one, a wrong type, an unknown event type — fails here.
 */
describe('published events keep their contracts (schemas/events, asyncapi.yaml)', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  const published = new Map<string, EventEnvelope[]>();

  beforeAll(async () => {
    h = await new Harness({ provisioning: vendors.options }).start();

    // Seed 000: customer → tenant/MCA → order → place → ACTIVE subscriptions → contract → 契約確定.
    const contract = await activeContract(h, [
      { sku: 'MS-O365-E1', quantity: 3 },
      { sku: 'MS-WINSRV-2022-STD', quantity: 1 },
    ]);
    const [e1, software] = contract.lines;
    // 請求: August's invoice (July in arrears, the software's one-time charge).
    await runBilling(h, '2026-08');

    // 解約 (seed 001) of 2 seats: 受付 → 解約連携 → the vendor's answer → 解約確定.
    await cancelSeats(h, contract.id, { lineId: e1.id, quantity: 2, requestedOn: '2026-07-20', endDate: '2026-07-31' });

    // 追加: back to 5 seats.
    const add = (await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: e1.id, quantity: 5 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${add}/accept`).expect(200);
    await h.http().post(`/contract-changes/${add}/link-quantity-change`).expect(200);
    await changeOnceVendorAnswered(h, add);
    await h.http().post(`/contract-changes/${add}/confirm-quantity-change`, {}).expect(200);

    // Software past its refund window: the vendor is not even asked, the change is withdrawn …
    const refused = (await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: software.id, quantity: 1 }], requestedOn: '2099-01-01' }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${refused}/accept`).expect(200);
    await h.http().post(`/contract-changes/${refused}/link-cancellation`).expect(200);
    await changeOnceVendorAnswered(h, refused);
    await h.http().post(`/contract-changes/${refused}/withdraw`).expect(200);
    // … and inside it: cancelled, and the invoiced charge returned on a credit note.
    await cancelSeats(h, contract.id, { lineId: software.id, quantity: 1, requestedOn: '2026-07-20', endDate: '2026-07-20' });
    const cancelledOn = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines.find((line: { id: string }) => line.id === software.id).cancelledOn;
    await runBilling(h, nextMonth(cancelledOn));
    // The vendor refuses a reduction: the change fails, the subscription stays as it was.
    vendors.partnerCenter.failNext(1, { retryable: false, reason: 'Quantity change refused (400)' });
    const reduction = (await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: e1.id, quantity: 4 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${reduction}/accept`).expect(200);
    await h.http().post(`/contract-changes/${reduction}/link-quantity-change`).expect(200);
    await changeOnceVendorAnswered(h, reduction);

    // The vendor fails every try: FAILED, then staff retry → ACTIVE.
    const failing = await readyCustomer(h, { companyName: '失敗テスト株式会社' });
    vendors.partnerCenter.failNext(FAST_RETRY.maxAttempts, { reason: 'Partner Center timeout (504)' });
    const failingOrder = await placeOrder(h, failing, [{ sku: 'MS-PROJECT-P1', quantity: 1 }]);
    const [failed] = await subscriptionsOf(h, failingOrder.id);
    await h.http().post(`/provisioning/subscriptions/${failed.id}/retry`).expect(200);
    await subscriptionsOf(h, failingOrder.id, (row) => row.status === 'ACTIVE');

    // StreamOne (seed 002): manual provisioning, activated by the distributor.
    const streamOneCustomer = await readyCustomer(h, { companyName: 'StreamOne 顧客' });
    const streamOne = await placeOrder(h, streamOneCustomer, [{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
    const [manual] = await subscriptionsOf(h, streamOne.id, (row) => row.status === 'MANUAL_PROVISIONING');
    await h.http(asDistributor).post(`/provisioning/subscriptions/${manual.id}/activate`).expect(200);

    // An order cancelled before placement.
    const unplaced = (await h.http(asDirect).post('/orders', { customerId: streamOneCustomer.customerId, lines: [{ sku: 'MS-M365-BB', quantity: 1 }] }).expect(201)).body;
    await h.http(asDirect).post(`/orders/${unplaced.id}/cancel`).expect(200);

    // Terms (契約更新): a renewal change for the next term, then a renewal run renews one annual line and ends another (auto-renew off).
    const renewing = await streamOneContract(h, { placedOn: '2026-12-10', quantity: 2, companyName: '更新テスト株式会社', sku: 'SN-POCKETALK-SI-Y', startDate: '2026-12-20' });
    const renewal = (await h.http().post(`/contracts/${renewing.id}/renewals`, { lines: [{ lineId: renewing.lines[0].id, quantity: 3 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${renewal}/accept`).expect(200);
    await h.http().post(`/contract-changes/${renewal}/confirm`, {}).expect(200);
    const ending = await streamOneContract(h, { placedOn: '2026-12-10', quantity: 1, companyName: '更新なしテスト株式会社', sku: 'SN-POCKETALK-SI-Y', startDate: '2026-12-20' });
    await h.http().put(`/contracts/${ending.id}/lines/${ending.lines[0].id}/auto-renew`, { autoRenew: false }).expect(200);
    await h.http(asDistributor).post('/contracts/renewal-runs', { date: '2028-01-01' }).expect(200);

    // A product change (Office 365 E1 → E3): the new sku travels with the link, the vendor's answer and the confirmation.
    const upgrading = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 1 }], { companyName: '商品変更テスト株式会社' });
    const upgrade = (await h.http().post(`/contracts/${upgrading.id}/product-changes`, { lines: [{ lineId: upgrading.lines[0].id, sku: 'MS-O365-E3' }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${upgrade}/accept`).expect(200);
    await h.http().post(`/contract-changes/${upgrade}/link`, {}).expect(200);
    await changeOnceVendorAnswered(h, upgrade);
    await h.http().post(`/contract-changes/${upgrade}/confirm`, {}).expect(200);
    await h.settle();

    for (const topic of Object.values(TOPICS)) published.set(topic, await h.publishedOn(topic));
  });
  afterAll(() => h.stop());

  it('every envelope on every topic is valid against the committed schema of its type and schemaVersion', () => {
    const schemas = new CommittedSchemas();
    const problems = [...published].flatMap(([topic, envelopes]) => envelopes.flatMap((envelope) => schemas.problemsOf(topic, envelope)));
    expect(problems).toEqual([]);
  });

  it('the flows published every event type of every topic, each on its own topic (no check passes for want of events)', () => {
    for (const topic of Object.values(TOPICS)) {
      const seen = new Set(published.get(topic)!.map((envelope) => envelope.type));
      expect({ topic, types: [...seen].sort() }).toEqual({ topic, types: contractsOn(topic).map((contract) => contract.type).sort() });
    }
  });

  it('is published at the current schemaVersion of its type (OrderPlaced: 2), keyed by the id the contract names', () => {
    const mismatches = [...published].flatMap(([topic, envelopes]) =>
      envelopes.flatMap((envelope) => {
        const contract = findContract(topic, envelope.type)!;
        const key = (envelope.data as Record<string, unknown>)[contract.key];
        return [
          ...(envelope.schemaVersion === contract.versions.length ? [] : [`${envelope.type}: v${envelope.schemaVersion}, current v${contract.versions.length}`]),
          ...(aggregateIdOf(envelope.streamId) === key ? [] : [`${envelope.type}: key ${aggregateIdOf(envelope.streamId)} but data.${contract.key} = ${String(key)}`]),
        ];
      }),
    );
    expect(mismatches).toEqual([]);
    expect(published.get(TOPICS.order)!.filter((envelope) => envelope.type === 'OrderPlaced').map((envelope) => envelope.schemaVersion)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('publishes the actor as {id, resellerId} only', () => {
    const actors = [...published.values()].flat().map((envelope) => Object.keys(envelope.actor).sort().join(','));
    expect(new Set(actors)).toEqual(new Set(['id', 'id,resellerId']));
  });

  it('GET /asyncapi.json (no token) is the AsyncAPI document of the four topics, valid for @asyncapi/parser', async () => {
    const answer = await h.http(null).get('/asyncapi.json').expect(200);
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(answer.body));
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0)).toEqual([]);
    expect(document!.channels().all().map((channel) => channel.address()).sort()).toEqual(Object.values(TOPICS).sort());
    expect(document!.messages().all().length).toBe(EVENT_CONTRACTS.reduce((count, contract) => count + contract.versions.length, 0));
  });
});
