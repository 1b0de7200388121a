// The API's answers, as far as the screens read them (shared/docs/api.md).
export interface OrderLine {
  id: string;
  sku: string;
  productName: string;
  vendor?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  billingPolicy?: string;
  placementStatus: 'UNPLACED' | 'PLACED';
  placementStatusLabel?: string;
  placedOn?: string | null;
}
export interface Order {
  id: string;
  orderNumber: string;
  customerId: string;
  customerCompanyName?: string;
  customerContactName?: string;
  status: string;
  statusLabel: string;
  subject: string;
  subjectForForms: string;
  orderDate: string;
  acceptedOn?: string | null;
  purchaseOrderNumber?: string | null;
  endUserOrderNumber?: string | null;
  tenantId?: string | null;
  lines: OrderLine[];
  subtotal: number;
  tax: number;
  total: number;
  updatedAt?: string;
}
export interface Product {
  sku: string;
  name: string;
  vendor: string;
  term: string;
  billingFrequency?: string;
  unitPrice: number;
  provisioning: string;
  trial: boolean;
  channel?: string;
}
export interface Tenant {
  id: string;
  customerId: string;
  tenantId: string;
  primaryDomain: string;
  mcaStatus: string;
  mcaStatusLabel: string;
  customerAgreement?: { method: string; acceptedOn: string; contact?: { firstName: string; lastName: string; email: string } } | null;
}
export interface ContractLine {
  id: string;
  orderLineId: string;
  sku: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  trial?: boolean;
  status: string;
  statusLabel: string;
  startDate?: string | null;
  endDate?: string | null;
  cancelledOn?: string | null;
  subscriptionId?: string | null;
  cancellationAllowedUntil?: string | null;
}
export interface Contract {
  id: string;
  contractNumber: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  customerCompanyName?: string;
  subject: string;
  subjectForForms: string;
  contractDate: string;
  productNames: string[];
  status: string;
  statusLabel: string;
  startDate?: string | null;
  endDate?: string | null;
  cancelledOn?: string | null;
  billing: boolean;
  lines: ContractLine[];
  updatedAt?: string;
}
export interface ChangeLine {
  lineId: string;
  sku: string;
  productName: string;
  subscriptionId?: string;
  currentQuantity?: number;
  quantity: number;
  newQuantity?: number;
  linkStatus: string;
  linkStatusLabel?: string;
  vendorStatus?: string;
  vendorReason?: string | null;
}
export interface ContractChange {
  id: string;
  contractId: string;
  contractNumber: string;
  orderNumber: string;
  customerCompanyName?: string;
  userCompanyName?: string;
  type: string;
  typeLabel: string;
  status: string;
  statusLabel: string;
  requestedOn: string;
  acceptedOn?: string | null;
  completedOn?: string | null;
  endDate?: string | null;
  effectiveOn?: string | null;
  forced?: boolean;
  subject?: string;
  lines: ChangeLine[];
}
export interface Subscription {
  id: string;
  customerId: string;
  customerCompanyName?: string;
  orderId: string;
  orderLineId: string;
  sku: string;
  productName: string;
  vendor: string;
  provisioning: string;
  quantity: number;
  status: string;
  statusLabel: string;
  vendorSubscriptionId?: string | null;
  productKey?: string | null;
  cancellationAllowedUntil?: string | null;
  provisionedAt?: string | null;
  activatedAt?: string | null;
  failureReason?: string | null;
  lastAttemptError?: string | null;
  attempts?: number;
}
export interface InvoiceLine {
  chargeId: string;
  kind: string;
  contractNumber: string;
  sku: string;
  productName: string;
  description: string;
  periodStart?: string;
  periodEnd?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}
export interface Invoice {
  id: string;
  number: string;
  kind: string;
  customerId: string;
  recipientName: string;
  month: string;
  periodLabel: string;
  issuedOn: string;
  issuer: { name: string; registrationNumber: string };
  lines: InvoiceLine[];
  subtotal: number;
  taxes: { rate: number; taxableAmount: number; tax: number }[];
  tax: number;
  total: number;
  originalInvoiceNumber?: string | null;
}
