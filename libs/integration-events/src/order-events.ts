import { z } from 'zod';
import { BusinessDate, Quantity } from './common';
import { integrationEvent } from './integration-event';
import { pii } from './pii';
import { ProductTerm, ProductTerms } from './products';

/** Published on order.events. Message key: the order id (the customer id for CustomerRegistered). */

const PersonName = pii('name', z.string());
const Email = pii('email', z.string());
const Phone = pii('phone', z.string());
const AddressPart = pii('address', z.string());

export const CustomerDetails = z.object({
  companyName: z.string(),
  companyNameKana: z.string(),
  siteName: z.string(),
  contact: z.object({ name: PersonName, phone: Phone, email: Email }),
  address: z.object({
    postalCode: AddressPart,
    prefecture: AddressPart,
    city: AddressPart,
    address1: AddressPart,
    address2: AddressPart.optional(),
  }),
  securityContact: z.object({ name: PersonName, phone: Phone.optional(), email: Email }).optional(),
});
export type CustomerDetails = z.infer<typeof CustomerDetails>;

/** A customer (販売先) of a reseller. */
export const CustomerRegistered = integrationEvent(
  'CustomerRegistered',
  z.object({ customerId: z.string(), resellerId: z.string() }).extend(CustomerDetails.shape),
);
export type CustomerRegistered = z.infer<typeof CustomerRegistered>;

const OrderReference = z.object({
  orderId: z.string(),
  resellerId: z.string(),
  customerId: z.string(),
  orderNumber: z.string(),
});

/** 受付 */
export const OrderAccepted = integrationEvent('OrderAccepted', OrderReference.extend({ acceptedOn: BusinessDate }));
export type OrderAccepted = z.infer<typeof OrderAccepted>;

export const OrderLine = ProductTerms.extend({ lineId: z.string(), quantity: Quantity });
export type OrderLine = z.infer<typeof OrderLine>;

const placement = {
  purchaseOrderNumber: z.string().optional(),
  endUserOrderNumber: z.string().optional(),
  placedOn: BusinessDate,
  fullyPlaced: z.boolean().describe('True when this placement placed the last unplaced line.'),
};
const tenantOfLine = { tenantId: z.string().optional().describe('Our tenant id (provisioning’s) for Microsoft lines.') };

/** Version 1 of a placed line: the term was optional (absent in events written before it travelled). */
export const PlacedLineV1 = OrderLine.extend(tenantOfLine);

/** A placed line as other services need it: sku, vendor, quantity, unit price, policy, term, tenant. */
export const PlacedLine = OrderLine.extend({
  ...tenantOfLine,
  term: ProductTerm.describe('The catalog’s term: how the line is paid (`annual` StreamOne products a year at a time).'),
});
export type PlacedLine = z.infer<typeof PlacedLine>;

/** 発注, schemaVersion 1: lines without a guaranteed term. Read through the upcaster as version 2. */
export const OrderPlacedV1 = integrationEvent('OrderPlaced', OrderReference.extend({ ...placement, lines: z.array(PlacedLineV1) }));

/** 発注 (schemaVersion 2): every line states its term. */
export const OrderPlaced = integrationEvent('OrderPlaced', OrderReference.extend({ ...placement, lines: z.array(PlacedLine) }));
export type OrderPlaced = z.infer<typeof OrderPlaced>;

/** キャンセル before any line was placed. */
export const OrderCancelled = integrationEvent('OrderCancelled', OrderReference.extend({ cancelledOn: BusinessDate }));
export type OrderCancelled = z.infer<typeof OrderCancelled>;

export type OrderIntegrationEvent = CustomerRegistered | OrderAccepted | OrderPlaced | OrderCancelled;
export const ORDER_INTEGRATION_EVENT_TYPES: OrderIntegrationEvent['type'][] = ['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled'];
