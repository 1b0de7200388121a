import { BillingIntegrationEvent, CustomerRegistered } from '@lp/integration-events';
import { defineProjection, sourceOf } from '@lp/read-models';
import { COLLECTIONS, InvoiceView, KnownCustomerView } from './views';

/** 請求書一覧: invoices and credit notes as issued (they never change once issued). */
export const invoicesProjection = defineProjection<BillingIntegrationEvent>({
  name: 'invoices',
  collections: [COLLECTIONS.invoices],
  indexes: {
    [COLLECTIONS.invoices]: [
      { resellerId: 1, month: -1, number: -1 },
      { resellerId: 1, customerId: 1, month: -1, number: -1 },
      // Distributor staff's list over all resellers; the keys after id serve its kind filter and search (see the order service's orders.projection.ts).
      { month: -1, number: -1, id: 1, kind: 1, invoiceNumber: 1, recipientName: 1 },
    ],
  },
  // Searched by the list screen's q (textSearch).
  textIndexes: { [COLLECTIONS.invoices]: ['invoiceNumber', 'number', 'recipientName'] },
  // 請求書一覧 as distributor staff first see it (every document): its total kept from the start, never counted on an ask.
  countedFilters: { [COLLECTIONS.invoices]: [{}] },
  on: {
    async InvoiceIssued(event, store) {
      const { invoiceId, invoiceNumber, ...document } = event.data;
      const row: InvoiceView = { ...document, id: invoiceId, kind: 'INVOICE', invoiceNumber, number: invoiceNumber, originalInvoiceId: null, originalInvoiceNumber: null, createdAt: event.occurredAt };
      await store.collection<InvoiceView>(COLLECTIONS.invoices).apply(invoiceId, sourceOf(event), () => row);
    },
    async CreditNoteIssued(event, store) {
      const { creditNoteId, creditNoteNumber, ...document } = event.data;
      const row: InvoiceView = { ...document, id: creditNoteId, kind: 'CREDIT_NOTE', invoiceNumber: creditNoteNumber, number: creditNoteNumber, createdAt: event.occurredAt };
      await store.collection<InvoiceView>(COLLECTIONS.invoices).apply(creditNoteId, sourceOf(event), () => row);
    },
  },
});

/** The customers' company names (order.events), for the invoice's recipient. */
export const knownCustomersProjection = defineProjection<CustomerRegistered>({
  name: 'billing-known-customers',
  collections: [COLLECTIONS.customers],
  on: {
    async CustomerRegistered(event, store) {
      const { customerId, resellerId, companyName } = event.data;
      await store.collection<KnownCustomerView>(COLLECTIONS.customers).apply(customerId, sourceOf(event), () => ({ id: customerId, resellerId, companyName }));
    },
  },
});
