import { ProductTerms } from './products';

/** Published on order.events (schemaVersion 1). */
export interface CustomerDetails {
  companyName: string;
  companyNameKana: string;
  siteName: string;
  contact: { name: string; phone: string; email: string };
  address: { postalCode: string; prefecture: string; city: string; address1: string; address2?: string };
  securityContact?: { name: string; phone?: string; email: string };
}

export type CustomerRegistered = {
  type: 'CustomerRegistered';
  data: { customerId: string; resellerId: string } & CustomerDetails;
};

interface OrderReference {
  orderId: string;
  resellerId: string;
  customerId: string;
  orderNumber: string;
}

export type OrderAccepted = { type: 'OrderAccepted'; data: OrderReference & { acceptedOn: string } };

export interface OrderLine extends ProductTerms {
  lineId: string;
  quantity: number;
}

/** A placed line as other services need it: sku, vendor, quantity, unit price, policy, tenant. */
export interface PlacedLine extends OrderLine {
  /** Our tenant id (provisioning's) for Microsoft lines. */
  tenantId?: string;
}

export type OrderPlaced = {
  type: 'OrderPlaced';
  data: OrderReference & {
    purchaseOrderNumber?: string;
    endUserOrderNumber?: string;
    placedOn: string;
    lines: PlacedLine[];
    /** True when this placement placed the last unplaced line. */
    fullyPlaced: boolean;
  };
};

export type OrderCancelled = { type: 'OrderCancelled'; data: OrderReference & { cancelledOn: string } };

export type OrderIntegrationEvent = CustomerRegistered | OrderAccepted | OrderPlaced | OrderCancelled;
export const ORDER_INTEGRATION_EVENT_TYPES: OrderIntegrationEvent['type'][] = ['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled'];
