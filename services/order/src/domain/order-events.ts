import { BillingPolicy, Channel, ProvisioningMode, Vendor } from './catalog';

export type OrderStatus = 'APPLIED' | 'ACCEPTED' | 'PARTIALLY_PLACED' | 'PLACED' | 'CANCELLED' | 'DELETED';
export type PlacementStatus = 'UNPLACED' | 'PLACED';

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  APPLIED: '申請',
  ACCEPTED: '受付済',
  PARTIALLY_PLACED: '一部発注済',
  PLACED: '発注済',
  CANCELLED: 'キャンセル',
  DELETED: '削除',
};
export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, string> = { UNPLACED: '未発注', PLACED: '発注済' };

/** An order line as created: product data is copied from the catalog so later catalog changes never rewrite history. */
export interface OrderLine {
  lineId: string;
  sku: string;
  productName: string;
  vendor: Vendor;
  channel: Channel;
  provisioning: ProvisioningMode;
  billingPolicy: BillingPolicy;
  trial: boolean;
  refundWindowDays?: number;
  quantity: number;
  unitPrice: number;
}

export interface OrderCreatedData {
  orderId: string;
  resellerId: string;
  customerId: string;
  orderNumber: string;
  subject: string;
  subjectForForms: string;
  orderDate: string;
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
  lines: OrderLine[];
}

/** A placed line as other services need it (events.md: sku, vendor, quantity, unit price, policy, tenant, placedOn). */
export interface PlacedLine extends OrderLine {
  tenantId?: string;
}

export type OrderEvent =
  | { type: 'OrderCreated'; data: OrderCreatedData }
  | { type: 'OrderAccepted'; data: { orderId: string; resellerId: string; customerId: string; orderNumber: string; acceptedOn: string } }
  | { type: 'OrderAcceptanceRevoked'; data: { orderId: string } }
  | { type: 'ProvisioningTargetSelected'; data: { orderId: string; tenantId: string } }
  | {
      type: 'OrderPlaced';
      data: {
        orderId: string;
        resellerId: string;
        customerId: string;
        orderNumber: string;
        purchaseOrderNumber?: string;
        endUserOrderNumber?: string;
        placedOn: string;
        lines: PlacedLine[];
        /** True when this placement placed the last unplaced line. */
        fullyPlaced: boolean;
      };
    }
  | { type: 'OrderCancelled'; data: { orderId: string; resellerId: string; customerId: string; orderNumber: string; cancelledOn: string } }
  | { type: 'OrderDeleted'; data: { orderId: string } };

export type OrderEventType = OrderEvent['type'];
