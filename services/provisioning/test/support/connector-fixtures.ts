import { ProvisionRequest, VendorError } from '../../src/domain/vendor-connector';

/** Provision requests of the three kinds of product the simulators handle, shared by the connector specs. */
const base = { orderId: 'o-1', orderLineId: 'l-1', customerId: 'c-1', resellerId: 'r-direct' };
export const o365: ProvisionRequest = {
  ...base,
  subscriptionId: 'sub-1',
  sku: 'MS-O365-E1',
  productName: 'Office 365 E1',
  vendor: 'Microsoft',
  provisioning: 'automatic',
  quantity: 3,
  tenantId: 'tn-1',
};
export const winServer: ProvisionRequest = { ...o365, subscriptionId: 'sub-2', sku: 'MS-WINSRV-2022-STD', productName: 'Windows Server 2022 Standard', provisioning: 'key', quantity: 1 };
export const pocketalk: ProvisionRequest = {
  ...base,
  subscriptionId: 'sub-3',
  sku: 'SN-POCKETALK-CC-M',
  productName: 'ポケトーク字幕 (月額)',
  vendor: 'Sourcenext',
  provisioning: 'manual',
  quantity: 10,
  purchaseOrderNumber: 'PO-1',
};

/** A sleep that records what was asked and returns at once. */
export const recordingSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

/** The VendorError a call fails with (the test fails if it succeeds). */
export async function vendorError(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VendorError);
    return error as VendorError;
  }
  throw new Error('Expected a VendorError, but the call succeeded');
}
