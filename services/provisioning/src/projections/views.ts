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

export const COLLECTIONS = { tenants: 'tenants', customers: 'known-customers' } as const;
export const MCA_STATUS_LABELS = { NOT_ACCEPTED: 'MCA未同意', ACCEPTED: 'MCA同意済' } as const;
