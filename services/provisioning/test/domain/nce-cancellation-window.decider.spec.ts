import { DeciderSpecification } from '@lp/testing';
import { SubscriptionCommand, subscriptionDecider, SubscriptionEvent } from '../../src/domain/subscription';
import { GUID, Line, o365, requested, SUB_ID } from '../support/subscription-fixtures';

const given = DeciderSpecification.for(subscriptionDecider);

/** Microsoft 365 Business Premium (NCE), placed 2026-11-08 and activated at the vendor a month later. */
const nce: Line = { ...o365, sku: 'MS-M365-BP-NCE-M', productName: 'Microsoft 365 Business Premium (NCE)', billingPolicy: 'microsoft-nce', placedOn: '2026-11-08', quantity: 5 };
const vendorAnswered = (provisionedAt: string): SubscriptionCommand => ({ type: 'RecordVendorProvisioned', vendorSubscriptionId: GUID, provisionedAt });

describe('subscription decider: a new-commerce window counts from the vendor activation', () => {
  it('given an NCE line placed 11-08, when the vendor activates it on 12-09 (Tokyo), then it is cancellable until 12-16', () => {
    const [event] = given([requested(nce, '2026-11-08T01:00:00.000Z')]).when(vendorAnswered('2026-12-09T03:00:00.000Z')).events();
    expect(event).toMatchObject({ type: 'SubscriptionProvisioned', data: { status: 'ACTIVE', cancellationAllowedUntil: '2026-12-16' } });
  });

  it('the activation day is the Tokyo business day: 12-08 15:30 UTC is already 12-09 in Tokyo → until 12-16', () => {
    given([requested(nce)]).when(vendorAnswered('2026-12-08T15:30:00.000Z')).thenState({ status: 'ACTIVE', cancellationAllowedUntil: '2026-12-16' });
  });

  it('a monthly Microsoft line (not new commerce) has no window', () => {
    given([requested(o365)]).when(vendorAnswered('2026-12-09T03:00:00.000Z')).thenState({ status: 'ACTIVE', cancellationAllowedUntil: null });
  });

  describe('seats added later are a purchase of their own', () => {
    /** Activated 12-09 (until 12-16), then a change to `newQuantity` seats waiting for the vendor. */
    const changeWaiting = (line: Line, newQuantity: number): SubscriptionEvent[] => {
      const history = [requested(line)];
      const activated = given(history).when(vendorAnswered('2026-12-09T03:00:00.000Z')).events();
      const asked: SubscriptionEvent = {
        type: 'SubscriptionQuantityChangeRequested',
        data: { subscriptionId: SUB_ID, changeId: 'ch-add', previousQuantity: line.quantity, newQuantity, requestedOn: '2027-01-19' },
      };
      return [...history, ...activated, asked];
    };
    const vendorChanged: SubscriptionCommand = { type: 'RecordVendorQuantityChanged', changeId: 'ch-add', changedAt: '2027-01-20T02:00:00.000Z' };

    it('given 5 → 8 seats, when the vendor confirms them on 01-20 (Tokyo), then the added seats are cancellable until 01-27, the window the subscription now holds', () => {
      const [event] = given(changeWaiting(nce, 8)).when(vendorChanged).events();
      expect(event).toMatchObject({ type: 'SubscriptionQuantityChanged', data: { newQuantity: 8, cancellationAllowedUntil: '2027-01-27' } });
      given(changeWaiting(nce, 8)).when(vendorChanged).thenState({ quantity: 8, cancellationAllowedUntil: '2027-01-27' });
    });

    it('a reduction buys nothing: the window stays the first one', () => {
      const [event] = given(changeWaiting(nce, 3)).when(vendorChanged).events();
      expect(event.data).not.toHaveProperty('cancellationAllowedUntil');
      given(changeWaiting(nce, 3)).when(vendorChanged).thenState({ quantity: 3, cancellationAllowedUntil: '2026-12-16' });
    });

    it('seats added to a monthly Microsoft line get no window', () => {
      const [event] = given(changeWaiting(o365, 8)).when(vendorChanged).events();
      expect(event.data).not.toHaveProperty('cancellationAllowedUntil');
    });
  });
});
