import { z } from 'zod';
import { BusinessDate, Quantity, Timestamp } from './common';
import { integrationEvent } from './integration-event';
import { pii } from './pii';

/** Published on provisioning.events. Message key: the tenant id, or the subscription id. */
const TenantReference = z.object({
  tenantId: z.string().describe('Our id of the tenant record (not Microsoft’s tenant GUID).'),
  resellerId: z.string(),
  customerId: z.string(),
});

export const TenantRegistered = integrationEvent('TenantRegistered', TenantReference.extend({ microsoftTenantId: z.string(), primaryDomain: z.string() }));
export type TenantRegistered = z.infer<typeof TenantRegistered>;

export const AgreementContact = z.object({
  firstName: pii('name', z.string()),
  lastName: pii('name', z.string()),
  email: pii('email', z.string()),
  phone: pii('phone', z.string()).optional(),
});
export type AgreementContact = z.infer<typeof AgreementContact>;

export const AcceptanceMethod = z.enum(['PARTNER_ATTESTATION', 'CUSTOMER_DIRECT']);
export type AcceptanceMethod = z.infer<typeof AcceptanceMethod>;

/** The Microsoft Customer Agreement was accepted for the tenant: orders for it may now be placed. */
export const CustomerAgreementAccepted = integrationEvent(
  'CustomerAgreementAccepted',
  TenantReference.extend({ method: AcceptanceMethod, acceptedOn: BusinessDate, contact: AgreementContact.optional() }),
);
export type CustomerAgreementAccepted = z.infer<typeof CustomerAgreementAccepted>;

export type TenantEvent = TenantRegistered | CustomerAgreementAccepted;

// ---------------------------------------------------------------------------------------------
// Subscriptions: one per placed order line (consumed by the contract service)

export const PublishedSubscriptionStatus = z.enum(['PROVISIONING', 'MANUAL_PROVISIONING', 'ACTIVE', 'FAILED', 'CANCELLED']);
export type PublishedSubscriptionStatus = z.infer<typeof PublishedSubscriptionStatus>;

/** What every published subscription event carries, so a consumer needs no other source. */
export const SubscriptionReference = z.object({
  subscriptionId: z.string(),
  orderId: z.string(),
  orderLineId: z.string(),
  customerId: z.string(),
  resellerId: z.string(),
  sku: z.string(),
  quantity: Quantity,
});
export type SubscriptionReference = z.infer<typeof SubscriptionReference>;

/**
 * The vendor accepted: automatic and key products are ACTIVE at once; manual products wait in
 * MANUAL_PROVISIONING until distributor staff activate them.
 */
export const SubscriptionProvisioned = integrationEvent(
  'SubscriptionProvisioned',
  SubscriptionReference.extend({
    status: z.enum(['ACTIVE', 'MANUAL_PROVISIONING']),
    vendorSubscriptionId: z.string(),
    productKey: z.string().optional().describe('On-premises software (`key` products) only.'),
    provisionedAt: Timestamp,
    cancellationAllowedUntil: BusinessDate.nullable().describe('Software only (start + refund window, inclusive), else null.'),
  }),
);
export type SubscriptionProvisioned = z.infer<typeof SubscriptionProvisioned>;

/** A manual subscription was activated by distributor staff. */
export const SubscriptionActivated = integrationEvent(
  'SubscriptionActivated',
  SubscriptionReference.extend({ status: z.literal('ACTIVE'), vendorSubscriptionId: z.string(), activatedAt: Timestamp, activatedBy: z.string().optional() }),
);
export type SubscriptionActivated = z.infer<typeof SubscriptionActivated>;

/** The last vendor call failed: the subscription is FAILED with the reason. */
export const ProvisioningFailed = integrationEvent(
  'ProvisioningFailed',
  SubscriptionReference.extend({ status: z.literal('FAILED'), reason: z.string(), attempts: z.int(), failedAt: Timestamp }),
);
export type ProvisioningFailed = z.infer<typeof ProvisioningFailed>;

/** Staff asked to try a FAILED subscription again: it is PROVISIONING again. */
export const ProvisioningRetried = integrationEvent(
  'ProvisioningRetried',
  SubscriptionReference.extend({ status: z.literal('PROVISIONING'), retriedAt: Timestamp, retriedBy: z.string().optional() }),
);
export type ProvisioningRetried = z.infer<typeof ProvisioningRetried>;

// ---------------------------------------------------------------------------------------------
// Changes of an ACTIVE subscription (contract change: 解約 / 数量変更), each under the contract
// change's id (`changeId`), so the contract service can match the vendor's answer to its change.

export const SubscriptionChangeKind = z.enum(['CANCELLATION', 'QUANTITY_CHANGE']);
export type SubscriptionChangeKind = z.infer<typeof SubscriptionChangeKind>;

/**
 * A cancellation (or reduction) was refused without calling the vendor: on-premises software past
 * its refund window (`cancellationAllowedUntil`, inclusive). The subscription stays ACTIVE,
 * unchanged; `reason` is what the change shows (返金期間(…まで)を過ぎているため解約できません).
 */
export const SubscriptionCancellationRefused = integrationEvent(
  'SubscriptionCancellationRefused',
  SubscriptionReference.extend({
    status: z.literal('ACTIVE'),
    changeId: z.string(),
    requestedQuantity: Quantity.describe('Seats the change asked to cancel.'),
    requestedOn: BusinessDate,
    code: z.literal('REFUND_WINDOW_CLOSED'),
    reason: z.string(),
    cancellationAllowedUntil: BusinessDate.nullable(),
  }),
);
export type SubscriptionCancellationRefused = z.infer<typeof SubscriptionCancellationRefused>;

/**
 * The vendor confirmed a cancellation or reduction. `quantity` (and `remainingQuantity`) is what is
 * left: 0 and CANCELLED when every seat was cancelled, else ACTIVE with the reduced quantity.
 */
export const SubscriptionCancelled = integrationEvent(
  'SubscriptionCancelled',
  SubscriptionReference.extend({
    status: z.enum(['ACTIVE', 'CANCELLED']),
    changeId: z.string(),
    vendorSubscriptionId: z.string(),
    previousQuantity: Quantity,
    cancelledQuantity: Quantity,
    remainingQuantity: Quantity,
    productKeyRevoked: z.boolean().optional().describe('On-premises software (`key` products) only: whether the vendor revoked the product key.'),
    requestedOn: BusinessDate,
    cancelledAt: Timestamp,
  }),
);
export type SubscriptionCancelled = z.infer<typeof SubscriptionCancelled>;

/** The vendor confirmed a new seat count (add or reduce); `quantity` is the new one. */
export const SubscriptionQuantityChanged = integrationEvent(
  'SubscriptionQuantityChanged',
  SubscriptionReference.extend({
    status: z.literal('ACTIVE'),
    changeId: z.string(),
    vendorSubscriptionId: z.string(),
    previousQuantity: Quantity,
    newQuantity: Quantity,
    previousSku: z.string().optional().describe('A product change: the sku before it (sku is the new one).'),
    requestedOn: BusinessDate,
    changedAt: Timestamp,
    cancellationAllowedUntil: BusinessDate.optional().describe(
      'Seats added to a new-commerce (microsoft-nce) subscription: the last day they may be cancelled, 7 days from the Tokyo business date of changedAt.',
    ),
  }),
);
export type SubscriptionQuantityChanged = z.infer<typeof SubscriptionQuantityChanged>;

/** The vendor calls of a change failed (last try, or a refusal): the subscription stays ACTIVE, unchanged. */
export const SubscriptionChangeFailed = integrationEvent(
  'SubscriptionChangeFailed',
  SubscriptionReference.extend({
    status: z.literal('ACTIVE'),
    changeId: z.string(),
    change: SubscriptionChangeKind,
    reason: z.string(),
    attempts: z.int(),
    failedAt: Timestamp,
  }),
);
export type SubscriptionChangeFailed = z.infer<typeof SubscriptionChangeFailed>;

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
