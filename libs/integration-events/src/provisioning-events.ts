/** Published on provisioning.events (schemaVersion 1). */
interface TenantReference {
  /** Our id of the tenant record (not Microsoft's tenant GUID). */
  tenantId: string;
  resellerId: string;
  customerId: string;
}

export type TenantRegistered = {
  type: 'TenantRegistered';
  data: TenantReference & { microsoftTenantId: string; primaryDomain: string };
};

export interface AgreementContact {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
}

export type AcceptanceMethod = 'PARTNER_ATTESTATION' | 'CUSTOMER_DIRECT';

export type CustomerAgreementAccepted = {
  type: 'CustomerAgreementAccepted';
  data: TenantReference & { method: AcceptanceMethod; acceptedOn: string; contact?: AgreementContact };
};

export type TenantEvent = TenantRegistered | CustomerAgreementAccepted;

// ---------------------------------------------------------------------------------------------
// Subscriptions: one per placed order line (consumed by the contract service)

export type PublishedSubscriptionStatus = 'PROVISIONING' | 'MANUAL_PROVISIONING' | 'ACTIVE' | 'FAILED' | 'CANCELLED';

/** What every published subscription event carries, so a consumer needs no other source. */
export interface SubscriptionReference {
  subscriptionId: string;
  orderId: string;
  orderLineId: string;
  customerId: string;
  resellerId: string;
  sku: string;
  quantity: number;
}

/**
 * The vendor accepted: automatic and key products are ACTIVE at once; manual products wait in
 * MANUAL_PROVISIONING until distributor staff activate them.
 */
export type SubscriptionProvisioned = {
  type: 'SubscriptionProvisioned';
  data: SubscriptionReference & {
    status: 'ACTIVE' | 'MANUAL_PROVISIONING';
    vendorSubscriptionId: string;
    /** On-premises software (`key` products) only. */
    productKey?: string;
    provisionedAt: string;
    /** Software only (start + refund window, inclusive), else null. */
    cancellationAllowedUntil: string | null;
  };
};

/** A manual subscription was activated by distributor staff. */
export type SubscriptionActivated = {
  type: 'SubscriptionActivated';
  data: SubscriptionReference & { status: 'ACTIVE'; vendorSubscriptionId: string; activatedAt: string; activatedBy?: string };
};

/** The last vendor call failed: the subscription is FAILED with the reason. */
export type ProvisioningFailed = {
  type: 'ProvisioningFailed';
  data: SubscriptionReference & { status: 'FAILED'; reason: string; attempts: number; failedAt: string };
};

/** Staff asked to try a FAILED subscription again: it is PROVISIONING again. */
export type ProvisioningRetried = {
  type: 'ProvisioningRetried';
  data: SubscriptionReference & { status: 'PROVISIONING'; retriedAt: string; retriedBy?: string };
};

// ---------------------------------------------------------------------------------------------
// Changes of an ACTIVE subscription (contract change: 解約 / 数量変更), each under the contract
// change's id (`changeId`), so the contract service can match the vendor's answer to its change.

export type SubscriptionChangeKind = 'CANCELLATION' | 'QUANTITY_CHANGE';

/**
 * A cancellation (or reduction) was refused without calling the vendor: on-premises software past
 * its refund window (`cancellationAllowedUntil`, inclusive). The subscription stays ACTIVE,
 * unchanged; `reason` is what the change shows (返金期間(…まで)を過ぎているため解約できません).
 */
export type SubscriptionCancellationRefused = {
  type: 'SubscriptionCancellationRefused';
  data: SubscriptionReference & {
    status: 'ACTIVE';
    changeId: string;
    /** Seats the change asked to cancel. */
    requestedQuantity: number;
    requestedOn: string;
    code: 'REFUND_WINDOW_CLOSED';
    reason: string;
    cancellationAllowedUntil: string | null;
  };
};

/**
 * The vendor confirmed a cancellation or reduction. `quantity` (and `remainingQuantity`) is what is
 * left: 0 and CANCELLED when every seat was cancelled, else ACTIVE with the reduced quantity.
 */
export type SubscriptionCancelled = {
  type: 'SubscriptionCancelled';
  data: SubscriptionReference & {
    status: 'ACTIVE' | 'CANCELLED';
    changeId: string;
    vendorSubscriptionId: string;
    previousQuantity: number;
    cancelledQuantity: number;
    remainingQuantity: number;
    /** On-premises software (`key` products) only: whether the vendor revoked the product key. */
    productKeyRevoked?: boolean;
    requestedOn: string;
    cancelledAt: string;
  };
};

/** The vendor confirmed a new seat count (add or reduce); `quantity` is the new one. */
export type SubscriptionQuantityChanged = {
  type: 'SubscriptionQuantityChanged';
  data: SubscriptionReference & {
    status: 'ACTIVE';
    changeId: string;
    vendorSubscriptionId: string;
    previousQuantity: number;
    newQuantity: number;
    requestedOn: string;
    changedAt: string;
  };
};

/** The vendor calls of a change failed (last try, or a refusal): the subscription stays ACTIVE, unchanged. */
export type SubscriptionChangeFailed = {
  type: 'SubscriptionChangeFailed';
  data: SubscriptionReference & {
    status: 'ACTIVE';
    changeId: string;
    change: SubscriptionChangeKind;
    reason: string;
    attempts: number;
    failedAt: string;
  };
};

export type SubscriptionIntegrationEvent =
  | SubscriptionProvisioned
  | SubscriptionActivated
  | ProvisioningFailed
  | ProvisioningRetried
  | SubscriptionCancellationRefused
  | SubscriptionCancelled
  | SubscriptionQuantityChanged
  | SubscriptionChangeFailed;
export const SUBSCRIPTION_INTEGRATION_EVENT_TYPES: SubscriptionIntegrationEvent['type'][] = [
  'SubscriptionProvisioned',
  'SubscriptionActivated',
  'ProvisioningFailed',
  'ProvisioningRetried',
  'SubscriptionCancellationRefused',
  'SubscriptionCancelled',
  'SubscriptionQuantityChanged',
  'SubscriptionChangeFailed',
];

export type ProvisioningIntegrationEvent = TenantEvent | SubscriptionIntegrationEvent;
export const PROVISIONING_INTEGRATION_EVENT_TYPES: ProvisioningIntegrationEvent['type'][] = [
  'TenantRegistered',
  'CustomerAgreementAccepted',
  ...SUBSCRIPTION_INTEGRATION_EVENT_TYPES,
];
