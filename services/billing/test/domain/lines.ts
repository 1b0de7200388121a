import { BillingLine, LineCancellation, QuantityChange } from '../../src/domain';

/** A confirmed contract line with sample data; each spec names only what its rule depends on. */
export const line = (overrides: Partial<BillingLine> = {}): BillingLine => ({
  contractId: 'k-1',
  lineId: 'l-1',
  customerId: 'c-1',
  resellerId: 'r-direct',
  sku: 'MS-O365-E1',
  productName: 'Office 365 E1',
  unitPrice: 870,
  billingPolicy: 'microsoft-csp-monthly',
  placedOn: '2026-06-01',
  startDate: '2026-06-01',
  quantity: 1,
  changes: [],
  ...overrides,
});

/** A seat change; confirmed (effective) on the day it was requested unless told otherwise. */
export const change = (
  kind: QuantityChange['kind'],
  newQuantity: number,
  requestedOn: string,
  effectiveOn = requestedOn,
  changeId = `ch-${kind.toLowerCase()}-${requestedOn}`,
): QuantityChange => ({ changeId, kind, requestedOn, effectiveOn, newQuantity });

/** A confirmed cancellation of all seats, confirmed on the day it was requested unless told otherwise. */
export const cancellation = (requestedOn: string, endDate: string, cancelledOn = requestedOn, changeId = 'ch-cancel'): LineCancellation => ({
  changeId,
  requestedOn,
  endDate,
  cancelledOn,
});

/** Compact view of charges for exact assertions: id, amount and quantity. */
export const summary = (charges: { chargeId: string; amount: number; quantity: number }[]) =>
  charges.map(({ chargeId, amount, quantity }) => ({ chargeId, amount, quantity }));
