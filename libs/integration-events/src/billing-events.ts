import { z } from 'zod';
import { BillingMonth, BusinessDate, Quantity, Yen } from './common';
import { integrationEvent } from './integration-event';

/**
 * Published on billing.events from the `billingAccount-<customerId>` streams, for downstream
 * accounting. Message key: the customer id. Amounts are integer yen; tax is computed once per
 * document per rate on the taxable total and rounded down — never per line.
 */

/** The issuer of a qualified invoice (適格請求書): name and registration number (`T` + 13 digits). */
export const InvoiceIssuer = z.object({ name: z.string(), registrationNumber: z.string() });
export type InvoiceIssuer = z.infer<typeof InvoiceIssuer>;

/** A charged contract line on an invoice (or, negative, on a credit note). */
export const InvoiceLine = z.object({
  chargeId: z.string().describe('Stable: the same charge is never on two invoices.'),
  kind: z.enum(['MONTHLY', 'PRORATED', 'ANNUAL', 'ONE_TIME', 'USAGE', 'REFUND']),
  contractId: z.string(),
  contractNumber: z.string(),
  lineId: z.string(),
  sku: z.string(),
  productName: z.string(),
  description: z.string(),
  periodStart: BusinessDate.describe('First day of the service the line charges (inclusive).'),
  periodEnd: BusinessDate.describe('Last day of the service the line charges (inclusive).'),
  quantity: Quantity,
  unitPrice: Yen,
  amount: Yen,
  purchaseOrderNumber: z.string().optional().describe('発注番号, printed on the invoice when the order had one.'),
  endUserOrderNumber: z.string().optional().describe('エンドユーザー注文番号, printed on the invoice when the order had one.'),
  refersToChargeId: z.string().optional().describe('Credit notes: the charge returned.'),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const TaxSummary = z.object({ rate: z.number().describe('Percent, e.g. 10.'), taxableAmount: Yen, tax: Yen });
export type TaxSummary = z.infer<typeof TaxSummary>;

const BillingDocument = z.object({
  customerId: z.string(),
  resellerId: z.string(),
  month: BillingMonth.describe('The billing month, `YYYY-MM`; the document is dated its 1st.'),
  periodLabel: z.string().describe('取引期間 as printed: e.g. 2026年6月分.'),
  issuedOn: BusinessDate,
  issuer: InvoiceIssuer,
  recipientName: z.string().describe('The recipient (宛先): the customer’s company name as known when issued.'),
  lines: z.array(InvoiceLine),
  subtotal: Yen,
  taxes: z.array(TaxSummary),
  tax: Yen,
  total: Yen,
});

/** One invoice per customer per billing month (more only when a rerun finds charges no invoice holds yet). */
export const InvoiceIssued = integrationEvent('InvoiceIssued', BillingDocument.extend({ invoiceId: z.string(), invoiceNumber: z.string() }));
export type InvoiceIssued = z.infer<typeof InvoiceIssued>;

/** 適格返還請求書: returns (part of) a sale of an earlier invoice; amounts are negative. */
export const CreditNoteIssued = integrationEvent(
  'CreditNoteIssued',
  BillingDocument.extend({
    creditNoteId: z.string(),
    creditNoteNumber: z.string(),
    originalInvoiceId: z.string(),
    originalInvoiceNumber: z.string(),
  }),
);
export type CreditNoteIssued = z.infer<typeof CreditNoteIssued>;

/**
 * A contract line's charging period as billing's schedule has it (one per product the line had):
 * published when billing of the line starts and again when it ends, so others (the contract list's
 * billing flag) know what is charged without reading billing's policies. Message key: the schedule id.
 */
export const LineChargingScheduled = integrationEvent(
  'LineChargingScheduled',
  z.object({
    scheduleId: z
      .string()
      .optional()
      .describe('The schedule (message key), always sent: the line id for its first product, `<lineId>~<sku>` for a product it changed to.'),
    lineId: z.string().describe('The contract line.'),
    contractId: z.string(),
    customerId: z.string(),
    resellerId: z.string(),
    sku: z.string().describe('The product charged (a product change starts a new schedule for the new product).'),
    chargingFrom: BusinessDate.describe('The first day charged (StreamOne: the 1st after delivery).'),
    chargingUntil: BusinessDate.optional().describe('The last day charged; absent while the line runs on.'),
  }),
);
export type LineChargingScheduled = z.infer<typeof LineChargingScheduled>;

export type BillingIntegrationEvent = InvoiceIssued | CreditNoteIssued | LineChargingScheduled;
export const BILLING_INTEGRATION_EVENT_TYPES: BillingIntegrationEvent['type'][] = ['InvoiceIssued', 'CreditNoteIssued', 'LineChargingScheduled'];
