import { OrderAccepted, OrderCancelled, OrderLine, OrderPlaced } from '@lp/integration-events';

export type { OrderLine, PlacedLine } from '@lp/integration-events';

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

export type OrderEvent =
  | { type: 'OrderCreated'; data: OrderCreatedData }
  | OrderAccepted
  | { type: 'OrderAcceptanceRevoked'; data: { orderId: string } }
  | { type: 'ProvisioningTargetSelected'; data: { orderId: string; tenantId: string } }
  | OrderPlaced
  | OrderCancelled
  | { type: 'OrderDeleted'; data: { orderId: string } };

export type OrderEventType = OrderEvent['type'];
