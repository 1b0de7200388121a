/**
 * Published on billing.events (schemaVersion 1) from the `billingAccount-<customerId>` streams, for
 * downstream accounting. Message key: the customer id. Amounts are integer yen; tax is computed once
 * per document per rate on the taxable total and rounded down — never per line.
 */

/** The issuer of a qualified invoice (適格請求書): name and registration number (`T` + 13 digits). */
export interface InvoiceIssuer {
  name: string;
  registrationNumber: string;
}

/** A charged contract line on an invoice (or, negative, on a credit note). */
export interface InvoiceLine {
  /** Stable: the same charge is never on two invoices. */
  chargeId: string;
  kind: 'MONTHLY' | 'PRORATED' | 'ANNUAL' | 'ONE_TIME' | 'USAGE' | 'REFUND';
  contractId: string;
  contractNumber: string;
  lineId: string;
  sku: string;
  productName: string;
  description: string;
  /** Inclusive dates of the service the line charges. */
  periodStart: string;
  periodEnd: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  /** Printed on the invoice when the order had them (発注番号, エンドユーザー注文番号). */
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
  /** Credit notes: the charge returned. */
  refersToChargeId?: string;
}

export interface TaxSummary {
  /** Percent, e.g. 10. */
  rate: number;
  taxableAmount: number;
  tax: number;
}

interface BillingDocument {
  customerId: string;
  resellerId: string;
  /** The billing month, `YYYY-MM`; the document is dated its 1st. */
  month: string;
  /** 取引期間 as printed: e.g. 2026年6月分. */
  periodLabel: string;
  issuedOn: string;
  issuer: InvoiceIssuer;
  /** The recipient (宛先): the customer's company name as known when issued. */
  recipientName: string;
  lines: InvoiceLine[];
  subtotal: number;
  taxes: TaxSummary[];
  tax: number;
  total: number;
}

/** One invoice per customer per billing month (more only when a rerun finds charges no invoice holds yet). */
export type InvoiceIssued = {
  type: 'InvoiceIssued';
  data: BillingDocument & { invoiceId: string; invoiceNumber: string };
};

/** 適格返還請求書: returns (part of) a sale of an earlier invoice; amounts are negative. */
export type CreditNoteIssued = {
  type: 'CreditNoteIssued';
  data: BillingDocument & { creditNoteId: string; creditNoteNumber: string; originalInvoiceId: string; originalInvoiceNumber: string };
};

export type BillingIntegrationEvent = InvoiceIssued | CreditNoteIssued;
export const BILLING_INTEGRATION_EVENT_TYPES: BillingIntegrationEvent['type'][] = ['InvoiceIssued', 'CreditNoteIssued'];
