import { expectNewEvents, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { asDirect, asIndirect, Harness, tokenFor } from '../../../embedded/test/support/harness';
import { orderStreamId } from '../../src/domain/order';
import { anOrder, embeddedApi } from './given-orders';

/**
 * 受付 (accept), 受付解除 (revoke), キャンセル and 削除 of an order, each rule one short scenario:
 * the order is seeded as events, one request is sent, the answer and the appended events checked.
 */
describe('order acceptance over HTTP (given events, one request, the events it appended)', () => {
  const h = new Harness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  const spec = embeddedApi(() => h);

  it('受付: an applied order is accepted today in Tokyo, and OrderAccepted is appended', async () => {
    const order = anOrder();
    await spec
      .given(...order.given())
      .when(() => h.http(asDirect).post(`/orders/${order.id}/accept`))
      .then(
        expectResponse(200, { id: order.id, status: 'ACCEPTED', statusLabel: '受付済' }),
        expectNewEvents('order', orderStreamId(order.id), [{ type: 'OrderAccepted', data: { orderId: order.id, acceptedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } }]),
      );
  });

  it('受付 again: 409 INVALID_STATE, nothing appended', async () => {
    const order = anOrder();
    await spec
      .given(...order.given(order.accepted()))
      .when(() => h.http(asDirect).post(`/orders/${order.id}/accept`))
      .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
  });

  it('受付解除 of an accepted order: back to 申請', async () => {
    const order = anOrder();
    await spec
      .given(...order.given(order.accepted()))
      .when(() => h.http(asDirect).post(`/orders/${order.id}/revoke-acceptance`))
      .then(expectResponse(200, { status: 'APPLIED' }), expectNewEvents('order', orderStreamId(order.id), [{ type: 'OrderAcceptanceRevoked' }]));
  });

  it("another reseller's order is not found (404 ORDER_NOT_FOUND), and stays as it was", async () => {
    const order = anOrder();
    await spec
      .given(...order.given())
      .when(() => h.http(asIndirect).post(`/orders/${order.id}/accept`))
      .then(expectProblem(404, 'ORDER_NOT_FOUND'), expectNothingAppended());
  });

  it('a scenario that forgets then() fails instead of passing without a check', async () => {
    const order = anOrder();
    await expect(async () => {
      await spec.given(...order.given()).when(() => h.http(asDirect).post(`/orders/${order.id}/accept`));
    }).rejects.toThrow('then() takes expectations');
  });

  it('削除 by a sales agent: 403, nothing appended', async () => {
    const order = anOrder();
    await spec
      .given(...order.given())
      .when(() => h.http(tokenFor('sales-agent', 'r-direct')).delete(`/orders/${order.id}`))
      .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
  });
});
