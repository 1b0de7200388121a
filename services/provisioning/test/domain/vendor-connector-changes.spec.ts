import { PartnerCenterSimulator } from '../../src/domain/connectors/partner-center';
import { StreamOneSimulator } from '../../src/domain/connectors/stream-one';
import {
  CancelRequest,
  cancelThrough,
  ChangeQuantityRequest,
  changeQuantityThrough,
  ProvisionRequest,
  VendorConnector,
  VendorError,
} from '../../src/domain/vendor-connector';
import { o365 as threeSeats, pocketalk, recordingSleep, vendorError, winServer } from '../support/connector-fixtures';

/** Cancellations and seat changes of vendor subscriptions (contract changes, issue 5). */

const o365: ProvisionRequest = { ...threeSeats, quantity: 5 };

/** A cancel request for what `provision` answered. */
const cancelOf = (request: ProvisionRequest, vendorSubscriptionId: string, quantity: number, changeId = 'chg-1'): CancelRequest => ({
  changeId,
  subscriptionId: request.subscriptionId,
  vendorSubscriptionId,
  customerId: request.customerId,
  resellerId: request.resellerId,
  sku: request.sku,
  vendor: request.vendor,
  provisioning: request.provisioning,
  currentQuantity: request.quantity,
  quantity,
});
const changeOf = (request: ProvisionRequest, vendorSubscriptionId: string, newQuantity: number, changeId = 'chg-1'): ChangeQuantityRequest => {
  const { quantity: _quantity, ...rest } = cancelOf(request, vendorSubscriptionId, 1, changeId);
  return { ...rest, newQuantity };
};



describe('Partner Center simulator: cancel and changeQuantity', () => {
  it('a reduction leaves the seats left', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    expect(await pc.cancel(cancelOf(o365, vendorSubscriptionId, 2))).toEqual({ status: 'cancelled', remainingQuantity: 3 });
    expect(pc.seatsHeld(vendorSubscriptionId)).toBe(3);
  });

  it('a full cancellation leaves none; a further change of it is refused, not retryable', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    expect(await pc.cancel(cancelOf(o365, vendorSubscriptionId, 5))).toEqual({ status: 'cancelled', remainingQuantity: 0 });
    expect(await vendorError(pc.cancel(cancelOf(o365, vendorSubscriptionId, 1, 'chg-2')))).toMatchObject({ retryable: false });
    expect(await vendorError(pc.changeQuantity(changeOf(o365, vendorSubscriptionId, 3, 'chg-3')))).toMatchObject({ retryable: false });
  });

  it('software: cancelling it revokes the product key', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(winServer);
    expect(await pc.cancel(cancelOf(winServer, vendorSubscriptionId, 1))).toEqual({ status: 'cancelled', remainingQuantity: 0, productKeyRevoked: true });
  });

  it('software: a partial reduction keeps the key for the seats left', async () => {
    const pc = new PartnerCenterSimulator();
    const three = { ...winServer, quantity: 3 };
    const { vendorSubscriptionId } = await pc.provision(three);
    expect(await pc.cancel(cancelOf(three, vendorSubscriptionId, 1))).toEqual({ status: 'cancelled', remainingQuantity: 2, productKeyRevoked: false });
  });

  it('is idempotent by change id: a retried cancellation answers the first answer and cancels nothing more', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    const first = await pc.cancel(cancelOf(o365, vendorSubscriptionId, 2));
    expect(await pc.cancel(cancelOf(o365, vendorSubscriptionId, 2))).toEqual(first);
    expect(pc.seatsHeld(vendorSubscriptionId)).toBe(3);
  });

  it('changes the seats (add and reduce), idempotent by change id', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    expect(await pc.changeQuantity(changeOf(o365, vendorSubscriptionId, 8))).toEqual({ status: 'changed', quantity: 8 });
    expect(await pc.changeQuantity(changeOf(o365, vendorSubscriptionId, 8))).toEqual({ status: 'changed', quantity: 8 });
    expect(await pc.changeQuantity(changeOf({ ...o365, quantity: 8 }, vendorSubscriptionId, 4, 'chg-2'))).toEqual({ status: 'changed', quantity: 4 });
    expect(pc.seatsHeld(vendorSubscriptionId)).toBe(4);
  });

  it('a subscription it did not provision (e.g. after a restart) counts from the caller\'s current quantity', async () => {
    const pc = new PartnerCenterSimulator();
    const guid = '7A1C2E4B-91D3-4F60-8B2A-3C5D6E7F8091';
    expect(await pc.cancel(cancelOf(o365, guid, 5))).toEqual({ status: 'cancelled', remainingQuantity: 0 });
  });

  it.each([
    ['more seats than held', (id: string) => cancelOf(o365, id, 6)],
    ['0 seats', (id: string) => cancelOf(o365, id, 0)],
    ['a StreamOne product', (id: string) => cancelOf(pocketalk, id, 1)],
    ['an id that is not a Partner Center GUID', () => cancelOf(o365, 'SO-0000000001', 1)],
  ])('refuses to cancel %s, not retryable', async (_what, request) => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    expect(await vendorError(pc.cancel(request(vendorSubscriptionId)))).toMatchObject({ retryable: false });
  });

  it.each([
    ['software', winServer, 2],
    ['quantity 0', o365, 0],
  ])('refuses to change the quantity of %s, not retryable', async (_what, request, newQuantity) => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(request);
    expect(await vendorError(pc.changeQuantity(changeOf(request, vendorSubscriptionId, newQuantity)))).toMatchObject({ retryable: false });
  });

  it('waits the latency and fails as injected, then succeeds; a failed call changes nothing', async () => {
    const { waits, sleep } = recordingSleep();
    const pc = new PartnerCenterSimulator({ sleep });
    const { vendorSubscriptionId } = await pc.provision(o365);
    pc.latencyMs = 150;
    pc.failNext(2);
    expect(await vendorError(pc.cancel(cancelOf(o365, vendorSubscriptionId, 2)))).toMatchObject({ retryable: true, reason: 'Vendor unavailable (503)' });
    await vendorError(pc.cancel(cancelOf(o365, vendorSubscriptionId, 2)));
    expect(pc.seatsHeld(vendorSubscriptionId)).toBe(5);
    expect(await pc.cancel(cancelOf(o365, vendorSubscriptionId, 2))).toMatchObject({ remainingQuantity: 3 });
    expect(waits).toEqual([150, 150, 150]);
    expect(pc.calls).toBe(4);
  });
});

describe('StreamOne simulator: cancel and changeQuantity (the distributor confirms at once)', () => {
  it('a cancellation is accepted with the seats left, no key involved', async () => {
    const so = new StreamOneSimulator();
    const { vendorSubscriptionId } = await so.provision(pocketalk);
    expect(await so.cancel(cancelOf(pocketalk, vendorSubscriptionId, 10))).toEqual({ status: 'cancelled', remainingQuantity: 0 });
  });

  it('a reduction and a seat change, idempotent by change id', async () => {
    const so = new StreamOneSimulator();
    const { vendorSubscriptionId } = await so.provision(pocketalk);
    expect(await so.cancel(cancelOf(pocketalk, vendorSubscriptionId, 5))).toEqual({ status: 'cancelled', remainingQuantity: 5 });
    expect(await so.cancel(cancelOf(pocketalk, vendorSubscriptionId, 5))).toEqual({ status: 'cancelled', remainingQuantity: 5 });
    expect(await so.changeQuantity(changeOf({ ...pocketalk, quantity: 5 }, vendorSubscriptionId, 12, 'chg-2'))).toEqual({ status: 'changed', quantity: 12 });
    expect(so.seatsHeld(vendorSubscriptionId)).toBe(12);
  });

  it('latency and injected failures like provision', async () => {
    const { waits, sleep } = recordingSleep();
    const so = new StreamOneSimulator({ latencyMs: 300, sleep });
    const { vendorSubscriptionId } = await so.provision(pocketalk);
    so.failNext(1, { retryable: false, reason: 'StreamOne: cancellation deadline passed' });
    expect(await vendorError(so.cancel(cancelOf(pocketalk, vendorSubscriptionId, 1)))).toMatchObject({ retryable: false, reason: 'StreamOne: cancellation deadline passed' });
    expect(await so.cancel(cancelOf(pocketalk, vendorSubscriptionId, 1))).toMatchObject({ remainingQuantity: 9 });
    expect(waits).toEqual([300, 300, 300]);
  });

  it.each([
    ['a Microsoft product', () => cancelOf(o365, 'SO-0000000001', 1)],
    ['an id that is not a StreamOne order', () => cancelOf(pocketalk, 'ABC', 1)],
  ])('refuses %s, not retryable', async (_what, request) => {
    expect(await vendorError(new StreamOneSimulator().cancel(request()))).toMatchObject({ retryable: false });
  });
});

describe('a connector without cancel / changeQuantity (order-only adapter)', () => {
  const orderOnly: VendorConnector = { name: 'Ingram', mode: 'automatic', provision: async () => ({ status: 'provisioned', vendorSubscriptionId: 'X' }) };

  it('a change through it fails at once, not retryable, with the reason', async () => {
    expect(await vendorError(cancelThrough(orderOnly, cancelOf(o365, 'X', 1)))).toMatchObject({ retryable: false, reason: 'The Ingram connector cannot cancel subscriptions' });
    expect(await vendorError(changeQuantityThrough(orderOnly, changeOf(o365, 'X', 2)))).toMatchObject({ retryable: false, reason: 'The Ingram connector cannot change quantities' });
  });

  it('a simulator is called through them', async () => {
    const pc = new PartnerCenterSimulator();
    const { vendorSubscriptionId } = await pc.provision(o365);
    expect(await cancelThrough(pc, cancelOf(o365, vendorSubscriptionId, 1))).toMatchObject({ remainingQuantity: 4 });
    expect(await changeQuantityThrough(pc, changeOf({ ...o365, quantity: 4 }, vendorSubscriptionId, 6, 'chg-2'))).toMatchObject({ quantity: 6 });
  });
});
