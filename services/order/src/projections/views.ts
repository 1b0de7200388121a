import { CustomerDetails } from '@lp/integration-events';
import { OrderStatus, PlacementStatus } from '../domain/order-events';

/** 注文一覧 / 注文詳細 row: everything the order screens and GET /orders/:id show. */
export interface OrderView {
  id: string;
  resellerId: string;
  orderNumber: string;
  customerId: string;
  customerCompanyName: string;
  customerContactName: string;
  status: OrderStatus;
  statusLabel: string;
  subject: string;
  subjectForForms: string;
  orderDate: string;
  acceptedOn: string | null;
  purchaseOrderNumber: string | null;
  endUserOrderNumber: string | null;
  tenantId: string | null;
  lines: OrderLineView[];
  subtotal: number;
  tax: number;
  total: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLineView {
  id: string;
  sku: string;
  productName: string;
  vendor: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  billingPolicy: string;
  placementStatus: PlacementStatus;
  placementStatusLabel: string;
  placedOn: string | null;
  tenantId: string | null;
}

export type CustomerView = CustomerDetails & {
  id: string;
  resellerId: string;
  registeredAt: string;
};

/** The order service's local copy of provisioning's tenants (TenantRegistered, CustomerAgreementAccepted). */
export interface KnownTenantView {
  id: string;
  resellerId: string;
  customerId: string;
  microsoftTenantId: string;
  primaryDomain: string;
  mcaAccepted: boolean;
}

export const COLLECTIONS = { orders: 'orders', customers: 'customers', tenants: 'known-tenants' } as const;
