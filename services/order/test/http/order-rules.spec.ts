import { randomUUID } from 'crypto';
import { expectNewEvents, expectNewEventsOnCreated, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { asDirect, asDistributor, asIndirect, customerBody, Harness } from '../../../embedded/test/support/harness';
import { aTenant } from '../../../provisioning/test/http/given-streams';
import { customerStreamId } from '../../src/domain/customer';
import { aCustomer, anOrder, embeddedApi } from './given-orders';

/**
 * Customers and orders (登録, 注文, 発注先テナント, 発注, キャンセル, 削除), each rule one scenario: the
 * customer, its order and its tenants (provisioning's streams) are seeded as events, one request is
 * sent, the answer and the events it appended are checked.
 */
describe('customers and orders over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = embeddedApi(() => h);

  describe('customers', () => {
    it("a reseller's admin registers a customer of its own reseller", async () => {
      await spec
        .given()
        .when(() => h.http(asDirect).post('/customers', customerBody({ companyName: '株式会社とうろく' })))
        .then(
          expectResponse(201, { companyName: '株式会社とうろく', resellerId: 'r-direct' }),
          expectNewEventsOnCreated('order', ({ body }) => customerStreamId((body as { id: string }).id), [{ type: 'CustomerRegistered', data: { companyName: '株式会社とうろく', resellerId: 'r-direct' } }]),
        );
    });

    it('the distributor registers one for the reseller it names', async () => {
      await spec
        .given()
        .when(() => h.http(asDistributor).post('/customers', customerBody({ resellerId: 'r-indirect' })))
        .then(
          expectResponse(201, { resellerId: 'r-indirect' }),
          expectNewEventsOnCreated('order', ({ body }) => customerStreamId((body as { id: string }).id), [{ type: 'CustomerRegistered', data: { resellerId: 'r-indirect' } }]),
        );
    });

    it.each([
      ['the distributor naming an unknown reseller', asDistributor, 'r-bogus'],
      ["a reseller naming another's", asDirect, 'r-indirect'],
    ])('%s: 404 RESELLER_NOT_FOUND, nothing registered', async (_who, token, resellerId) => {
      await spec
        .given()
        .when(() => h.http(token).post('/customers', customerBody({ resellerId })))
        .then(expectProblem(404, 'RESELLER_NOT_FOUND'), expectNothingAppended());
    });

    it("another reseller's customer is not found: 404 CUSTOMER_NOT_FOUND", async () => {
      const customer = aCustomer();
      await spec
        .given(customer.stream)
        .when(() => h.http(asIndirect).get(`/customers/${customer.customerId}`))
        .then(expectProblem(404, 'CUSTOMER_NOT_FOUND'), expectNothingAppended());
    });

    it("an order for another reseller's customer: 404 CUSTOMER_NOT_FOUND, no order", async () => {
      const customer = aCustomer();
      await spec
        .given(customer.stream)
        .when(() => h.http(asIndirect).post('/orders', { customerId: customer.customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }))
        .then(expectProblem(404, 'CUSTOMER_NOT_FOUND'), expectNothingAppended());
    });
  });

  describe('発注先テナント (PUT provisioning-target): one of the customer’s tenants', () => {
    const selectTarget = (orderId: string, tenantId: string) => h.http(asDirect).put(`/orders/${orderId}/provisioning-target`, { tenantId });

    it("the customer's tenant becomes the order's target", async () => {
      const order = anOrder();
      const tenant = aTenant(order.customer);
      await spec
        .given(...order.given(order.accepted()), ...tenant.streams)
        .when(() => selectTarget(order.id, tenant.tenantId))
        .then(expectResponse(200, { id: order.id }), expectNewEvents('order', order.streamId, [{ type: 'ProvisioningTargetSelected', data: { tenantId: tenant.tenantId } }]));
    });

    it('an unknown tenant: 404 TENANT_NOT_FOUND, nothing appended', async () => {
      const order = anOrder();
      await spec
        .given(...order.given(order.accepted()))
        .when(() => selectTarget(order.id, randomUUID()))
        .then(expectProblem(404, 'TENANT_NOT_FOUND'), expectNothingAppended());
    });

    it("another reseller's tenant answers as an unknown one: 404 TENANT_NOT_FOUND", async () => {
      const order = anOrder();
      const theirs = aTenant(aCustomer('r-indirect'));
      await spec
        .given(...order.given(order.accepted()), ...theirs.streams)
        .when(() => selectTarget(order.id, theirs.tenantId))
        .then(expectProblem(404, 'TENANT_NOT_FOUND'), expectNothingAppended());
    });

    it("a tenant of another of the reseller's customers: 422 TENANT_NOT_OF_CUSTOMER", async () => {
      const order = anOrder();
      const other = aTenant(aCustomer());
      await spec
        .given(...order.given(order.accepted()), ...other.streams)
        .when(() => selectTarget(order.id, other.tenantId))
        .then(expectProblem(422, 'TENANT_NOT_OF_CUSTOMER'), expectNothingAppended());
    });
  });

  describe('発注 (place): accepted, into a tenant whose customer accepted the MCA', () => {
    const place = (orderId: string) => h.http(asDirect).post(`/orders/${orderId}/place`);

    it('an accepted order with its only tenant MCA-accepted is placed: PLACED, OrderPlaced into that tenant', async () => {
      const order = anOrder();
      const tenant = aTenant(order.customer, { mca: '2026-05-01' });
      await spec
        .given(...order.given(order.accepted()), ...tenant.streams)
        .when(() => place(order.id))
        .then(
          expectResponse(200, { status: 'PLACED' }),
          expectNewEvents('order', order.streamId, [{ type: 'OrderPlaced', data: { fullyPlaced: true, lines: [{ lineId: order.line.lineId, tenantId: tenant.tenantId }] } }]),
        );
    });

    it('before 受付: 409 INVALID_STATE, nothing appended', async () => {
      const order = anOrder();
      const tenant = aTenant(order.customer, { mca: '2026-05-01' });
      await spec
        .given(...order.given(), ...tenant.streams)
        .when(() => place(order.id))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });

    it('a Microsoft line for a customer without a tenant: 422 TENANT_REQUIRED', async () => {
      const order = anOrder();
      await spec
        .given(...order.given(order.accepted()))
        .when(() => place(order.id))
        .then(expectProblem(422, 'TENANT_REQUIRED'), expectNothingAppended());
    });

    it('several tenants and none selected: 422 TENANT_REQUIRED (no silent default)', async () => {
      const order = anOrder();
      const [first, second] = [aTenant(order.customer, { mca: '2026-05-01' }), aTenant(order.customer, { mca: '2026-05-01' })];
      await spec
        .given(...order.given(order.accepted()), ...first.streams, ...second.streams)
        .when(() => place(order.id))
        .then(expectProblem(422, 'TENANT_REQUIRED'), expectNothingAppended());
    });

    it('the selected tenant has no MCA: 422 MCA_NOT_ACCEPTED', async () => {
      const order = anOrder();
      const [first, second] = [aTenant(order.customer), aTenant(order.customer, { mca: '2026-05-01' })];
      await spec
        .given(...order.given(order.accepted(), order.targetSelected(first.tenantId)), ...first.streams, ...second.streams)
        .when(() => place(order.id))
        .then(expectProblem(422, 'MCA_NOT_ACCEPTED'), expectNothingAppended());
    });

    it('a StreamOne line needs no tenant', async () => {
      const order = anOrder({ sku: 'SN-POCKETALK-CC-M', quantity: 1 });
      await spec
        .given(...order.given(order.accepted()))
        .when(() => place(order.id))
        .then(expectResponse(200, { status: 'PLACED' }), expectNewEvents('order', order.streamId, [{ type: 'OrderPlaced' }]));
    });
  });

  describe('キャンセル, 受付解除 and 削除: only before anything is placed', () => {
    it('キャンセル of an applied order: キャンセル, OrderCancelled', async () => {
      const order = anOrder();
      await spec
        .given(...order.given())
        .when(() => h.http(asDirect).post(`/orders/${order.id}/cancel`))
        .then(expectResponse(200, { status: 'CANCELLED', statusLabel: 'キャンセル' }), expectNewEvents('order', order.streamId, [{ type: 'OrderCancelled', data: { orderId: order.id } }]));
    });

    it('キャンセル of a placed order: 409 ALREADY_PLACED, nothing appended', async () => {
      const order = anOrder({ sku: 'SN-POCKETALK-CC-M' });
      await spec
        .given(...order.given(order.accepted(), order.placed()))
        .when(() => h.http(asDirect).post(`/orders/${order.id}/cancel`))
        .then(expectProblem(409, 'ALREADY_PLACED'), expectNothingAppended());
    });

    it('受付解除 of a placed order: 409 ALREADY_PLACED, nothing appended', async () => {
      const order = anOrder({ sku: 'SN-POCKETALK-CC-M' });
      await spec
        .given(...order.given(order.accepted(), order.placed()))
        .when(() => h.http(asDirect).post(`/orders/${order.id}/revoke-acceptance`))
        .then(expectProblem(409, 'ALREADY_PLACED'), expectNothingAppended());
    });

    it('削除 of an applied order: 204, OrderDeleted', async () => {
      const order = anOrder();
      await spec
        .given(...order.given())
        .when(() => h.http(asDirect).delete(`/orders/${order.id}`))
        .then(expectResponse(204), expectNewEvents('order', order.streamId, [{ type: 'OrderDeleted', data: { orderId: order.id } }]));
    });

    it('削除 of an accepted order: 409 INVALID_STATE, nothing appended', async () => {
      const order = anOrder();
      await spec
        .given(...order.given(order.accepted()))
        .when(() => h.http(asDirect).delete(`/orders/${order.id}`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });
  });
});
