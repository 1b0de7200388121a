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

export type SubscriptionIntegrationEvent = SubscriptionProvisioned | SubscriptionActivated | ProvisioningFailed | ProvisioningRetried;
export const SUBSCRIPTION_INTEGRATION_EVENT_TYPES: SubscriptionIntegrationEvent['type'][] = [
  'SubscriptionProvisioned',
  'SubscriptionActivated',
  'ProvisioningFailed',
  'ProvisioningRetried',
];

export type ProvisioningIntegrationEvent = TenantEvent | SubscriptionIntegrationEvent;
export const PROVISIONING_INTEGRATION_EVENT_TYPES: ProvisioningIntegrationEvent['type'][] = [
  'TenantRegistered',
  'CustomerAgreementAccepted',
  ...SUBSCRIPTION_INTEGRATION_EVENT_TYPES,
];
