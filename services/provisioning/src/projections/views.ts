import { Channel, ProvisioningMode, Vendor } from '@lp/integration-events';
import { SubscriptionStatus } from '../domain/subscription';
import { AcceptanceMethod, AgreementContact } from '../domain/tenant';

/** プロビジョニング情報: a tenant with its MCA state (GET /customers/:id/tenants). */
export interface TenantView {
  id: string;
  resellerId: string;
  customerId: string;
  tenantId: string;
  primaryDomain: string;
  mcaStatus: 'NOT_ACCEPTED' | 'ACCEPTED';
  mcaStatusLabel: string;
  customerAgreement: { method: AcceptanceMethod; acceptedOn: string; contact: AgreementContact | null; recordedAt: string } | null;
  registeredAt: string;
}

/** The provisioning service's local copy of order's customers (CustomerRegistered). */
export interface KnownCustomerView {
  id: string;
  resellerId: string;
  companyName: string;
}

/**
 * A vendor subscription, one per placed order line (GET /provisioning/subscriptions). Fields not
 * known yet are null, so every row has the same columns.
 */
export interface SubscriptionView {
  id: string;
  resellerId: string;
  customerId: string;
  orderId: string;
  orderLineId: string;
  sku: string;
  productName: string;
  vendor: Vendor;
  channel: Channel;
  provisioning: ProvisioningMode;
  quantity: number;
  /** Our tenant id (Microsoft lines), else null. */
  tenantId: string | null;
  purchaseOrderNumber: string | null;
  placedOn: string;
  status: SubscriptionStatus;
  statusLabel: string;
  vendorSubscriptionId: string | null;
  /** On-premises software only. */
  productKey: string | null;
  cancellationAllowedUntil: string | null;
  provisionedAt: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  /** Why the subscription is FAILED (null otherwise). */
  failureReason: string | null;
  failedAt: string | null;
  /** Failed vendor calls in the current round of tries. */
  attempts: number;
  /** 1, +1 per retry of a FAILED subscription. */
  round: number;
  lastAttemptError: string | null;
  retriedAt: string | null;
  /** Set when the vendor confirmed a full cancellation (解約). */
  cancelledAt?: string;
  /** On-premises software: the vendor revoked the product key. */
  productKeyRevoked?: boolean;
  /** Why the last contract change could not be carried out with the vendor (refund window closed, vendor refused). */
  lastChangeError?: string | null;
  createdAt: string;
  updatedAt: string;
}

export const COLLECTIONS = { tenants: 'tenants', customers: 'known-customers', subscriptions: 'subscriptions' } as const;
export const MCA_STATUS_LABELS = { NOT_ACCEPTED: 'MCA未同意', ACCEPTED: 'MCA同意済' } as const;
