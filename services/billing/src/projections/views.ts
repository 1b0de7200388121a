import { CreditNoteIssued, InvoiceIssued } from '@lp/integration-events';
import { BillingLineState } from '../domain/billing-line.decider';

/** A contract line's billing schedule as the billing runs read it: the decider's state of its stream. */
export type BillingLineView = Exclude<BillingLineState, { status: 'NONE' }> & {
  id: string;
  customerId: string;
  resellerId: string;
};

type Document<E extends { data: object }> = Omit<E['data'], 'invoiceId' | 'creditNoteId' | 'invoiceNumber' | 'creditNoteNumber'>;

/** 請求書一覧 / 請求書: an invoice or a credit note (返還請求書), as issued. */
export type InvoiceView = (Document<InvoiceIssued> | Document<CreditNoteIssued>) & {
  id: string;
  kind: 'INVOICE' | 'CREDIT_NOTE';
  /** The document's number (INVyyyyMM-…; a credit note's own number), as api.md names it. */
  invoiceNumber: string;
  /** Alias of invoiceNumber, kept for clients written before it. */
  number: string;
  originalInvoiceId: string | null;
  originalInvoiceNumber: string | null;
  createdAt: string;
};

/** The billing service's copy of order's customers (CustomerRegistered): the invoice's recipient. */
export interface KnownCustomerView {
  id: string;
  resellerId: string;
  companyName: string;
}

export const COLLECTIONS = {
  lines: 'billing-lines',
  invoices: 'invoices',
  customers: 'billing-known-customers',
} as const;
