import { SubscriptionEvent, subscriptionIdForLine, SubscriptionLine } from '../../src/domain/subscription';

/** Placed lines and first events shared by the subscription decider and vendor worker specs. */
export const LINE_ID = '0b6c1f3e-8f4a-4f0e-9a59-5d2a8e0f7c11';
export const SUB_ID = subscriptionIdForLine(LINE_ID);
export const GUID = '7A1C2E4B-91D3-4F60-8B2A-3C5D6E7F8091';
export const KEY = 'BCDFG-HJKMP-QRTVW-XY234-6789B';
export const REQUESTED_AT = '2021-07-15T01:00:00.000Z';

export type Line = Omit<SubscriptionLine, 'subscriptionId'>;

const common = { orderId: 'o-1', orderLineId: LINE_ID, customerId: 'c-1', resellerId: 'r-direct', placedOn: '2021-07-15' };

export const o365: Line = {
  ...common,
  sku: 'MS-O365-E1',
  productName: 'Office 365 E1',
  vendor: 'Microsoft',
  channel: 'CSP',
  provisioning: 'automatic',
  billingPolicy: 'microsoft-csp-monthly',
  trial: false,
  quantity: 3,
  tenantId: 'tn-1',
};
export const pocketalk: Line = {
  ...common,
  sku: 'SN-POCKETALK-CC-M',
  productName: 'ポケトーク字幕 (月額)',
  vendor: 'Sourcenext',
  channel: 'StreamOne',
  provisioning: 'manual',
  billingPolicy: 'stellr-cutoff',
  trial: false,
  quantity: 10,
  purchaseOrderNumber: 'PO-2021-0001',
};
export const winServer: Line = {
  ...common,
  sku: 'MS-WINSRV-2022-STD',
  productName: 'Windows Server 2022 Standard',
  vendor: 'Microsoft',
  channel: 'CSP',
  provisioning: 'key',
  billingPolicy: 'onprem-software',
  trial: false,
  refundWindowDays: 30,
  quantity: 1,
  tenantId: 'tn-1',
};

/** What every published subscription event carries, for `line` (at `quantity`, default the line's). */
export const reference = (line: Line, quantity = line.quantity) => ({
  subscriptionId: SUB_ID,
  orderId: line.orderId,
  orderLineId: line.orderLineId,
  customerId: line.customerId,
  resellerId: line.resellerId,
  sku: line.sku,
  quantity,
});

export const requested = (line: Line = o365, requestedAt = REQUESTED_AT): SubscriptionEvent => ({
  type: 'SubscriptionRequested',
  data: { subscriptionId: SUB_ID, ...line, status: 'PROVISIONING', requestedAt },
});
