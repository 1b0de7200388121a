import { DeciderSpecification } from '@lp/testing';
import { SubscriptionCommand, subscriptionDecider } from '../../src/domain/subscription';
import { GUID, Line, o365, requested } from '../support/subscription-fixtures';

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
});
