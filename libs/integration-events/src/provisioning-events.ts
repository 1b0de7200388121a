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
export const PROVISIONING_INTEGRATION_EVENT_TYPES: string[] = ['TenantRegistered', 'CustomerAgreementAccepted'];
