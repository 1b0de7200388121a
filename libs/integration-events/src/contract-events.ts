import { z } from 'zod';
import { BusinessDate, Quantity, Yen } from './common';
import { integrationEvent } from './integration-event';
import { BillingPolicy, ProductTerm } from './products';

/** Published on contract.events from the `contract-<contractId>` streams. Message key: the contract id. */

/** A contract line's terms: the placed order line (everything billing needs to charge it). */
export const ContractLineTerms = z.object({
  lineId: z.string().describe('The contract line’s id: the id of the order line it comes from (a line is in at most one contract).'),
  orderLineId: z.string(),
  sku: z.string(),
  productName: z.string(),
  quantity: Quantity,
  unitPrice: Yen.describe('Integer yen, copied from the order.'),
  billingPolicy: BillingPolicy,
  trial: z.boolean(),
  refundWindowDays: z.int().optional().describe('On-premises software: refund window after the start date (billing, cancellations).'),
  term: ProductTerm.optional().describe('The product’s term (catalog), when the order carried it: billing pays `annual` lines a year at a time.'),
  placedOn: BusinessDate.describe('Business date the order line was placed (drives billing, e.g. stellr-cutoff).'),
  subscriptionId: z.string().optional().describe('Provisioning’s subscription of the line, when known.'),
});
export type ContractLineTerms = z.infer<typeof ContractLineTerms>;

export const ContractReference = z.object({
  contractId: z.string(),
  contractNumber: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  resellerId: z.string(),
  customerId: z.string(),
});
export type ContractReference = z.infer<typeof ContractReference>;

const orderNumbers = { purchaseOrderNumber: z.string().optional(), endUserOrderNumber: z.string().optional() };

/** 契約作成: a contract from placed lines of one order. */
export const ContractCreated = integrationEvent(
  'ContractCreated',
  ContractReference.extend({
    ...orderNumbers,
    subject: z.string(),
    subjectForForms: z.string(),
    contractDate: BusinessDate,
    paymentMethod: z.string().optional(),
    storeNotes: z.string().optional(),
    lines: z.array(ContractLineTerms),
  }),
);
export type ContractCreated = z.infer<typeof ContractCreated>;

export const ConfirmedLine = ContractLineTerms.extend({ subscriptionId: z.string(), startDate: BusinessDate });
export type ConfirmedLine = z.infer<typeof ConfirmedLine>;

/** Lines confirmed (契約確定) with their start dates and billing policy: what billing charges. */
export const ContractConfirmed = integrationEvent(
  'ContractConfirmed',
  ContractReference.extend({
    ...orderNumbers,
    confirmedOn: BusinessDate,
    lines: z.array(ConfirmedLine).describe('The lines confirmed by this command, each with its start date and subscription.'),
  }),
);
export type ContractConfirmed = z.infer<typeof ContractConfirmed>;

export type ContractIntegrationEvent = ContractCreated | ContractConfirmed;
export const CONTRACT_INTEGRATION_EVENT_TYPES: ContractIntegrationEvent['type'][] = ['ContractCreated', 'ContractConfirmed'];
