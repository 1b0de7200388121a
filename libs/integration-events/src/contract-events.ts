import { z } from 'zod';
import { BusinessDate, Quantity, Yen } from './common';
import { integrationEvent } from './integration-event';
import { BillingPolicy, ProductTerm, TermDuration } from './products';

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
  termDuration: TermDuration.optional().describe('The commitment term (P1M, P1Y) from the catalog; absent for evergreen plans.'),
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

export const ConfirmedLine = ContractLineTerms.extend({
  subscriptionId: z.string(),
  startDate: BusinessDate,
  termStartDate: BusinessDate.optional().describe('A line with a term: the first term starts with charging (StreamOne: the 1st after delivery).'),
  termEndDate: BusinessDate.optional().describe('A line with a term: the last day of its first term.'),
  autoRenew: z.boolean().optional().describe('A line with a term: renewed at its term end (on by default).'),
  cancellationAllowedUntil: BusinessDate.optional().describe('New-commerce (microsoft-nce) lines: the last day a cancellation or reduction is allowed (start + 7 days).'),
});
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

const RenewedLineIdentity = z.object({
  lineId: z.string(),
  orderLineId: z.string(),
  sku: z.string(),
  productName: z.string(),
  subscriptionId: z.string(),
  billingPolicy: BillingPolicy,
});

/** 契約更新: a line with auto-renew on ran into its next term, with the renewal change accepted for it (if any). */
export const ContractLineRenewed = integrationEvent(
  'ContractLineRenewed',
  ContractReference.extend({
    ...RenewedLineIdentity.shape,
    unitPrice: Yen,
    previousQuantity: Quantity,
    quantity: Quantity.describe('The quantity of the new term.'),
    termDuration: TermDuration,
    termStartDate: BusinessDate.describe('The first day of the new term (the day after the last one ended).'),
    termEndDate: BusinessDate.describe('The last day of the new term.'),
    renewedOn: BusinessDate.describe('The business date of the renewal run that renewed it.'),
    changeId: z.string().optional().describe('The renewal change (更新) applied, when one was scheduled.'),
  }),
);
export type ContractLineRenewed = z.infer<typeof ContractLineRenewed>;

/** A line with auto-renew off ended on its term end date: it is CANCELLED and charged no more after it. */
export const ContractLineEnded = integrationEvent(
  'ContractLineEnded',
  ContractReference.extend({
    ...RenewedLineIdentity.shape,
    endDate: BusinessDate.describe('契約終了日: the last day of the term.'),
    endedOn: BusinessDate.describe('The business date of the renewal run that ended it.'),
    autoRenewOffSince: BusinessDate.describe('When auto-renew was turned off (StreamOne counts its notice from it).'),
  }),
);
export type ContractLineEnded = z.infer<typeof ContractLineEnded>;

export type ContractIntegrationEvent = ContractCreated | ContractConfirmed | ContractLineRenewed | ContractLineEnded;
export const CONTRACT_INTEGRATION_EVENT_TYPES: ContractIntegrationEvent['type'][] = ['ContractCreated', 'ContractConfirmed', 'ContractLineRenewed', 'ContractLineEnded'];
