import { EventEnvelope } from '@lp/eventsourcing';
import { TOPICS } from '@lp/integration-events';
import { asDistributor, Harness, placeOrder, readyCustomer } from '../../../embedded/test/support/harness';
import { subscriptionsOf } from '../../../provisioning/test/http/support';
import { ActiveContract, changeOnceVendorAnswered } from '../../../contract/test/http/change-support';

export { asDirect, asDistributor, asIndirect, Harness } from '../../../embedded/test/support/harness';
export { simulatedVendors } from '../../../provisioning/test/http/support';
export { activeContract, changeOnceVendorAnswered, subscription } from '../../../contract/test/http/change-support';
export type { ActiveContract } from '../../../contract/test/http/change-support';

/** What POST /billing/runs answers for one issued document. */
export interface Issued {
  id: string;
  number: string;
  customerId: string;
  total: number;
}

export interface RunResult {
  month: string;
  customers: number;
  invoices: Issued[];
  creditNotes: Issued[];
}

export interface DocumentLine {
  chargeId: string;
  kind: string;
  contractNumber: string;
  lineId: string;
  productName: string;
  periodStart: string;
  periodEnd: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  refersToChargeId?: string;
  [field: string]: unknown;
}

/** GET /invoices/:id: an invoice or a credit note. */
export interface BillingDocument {
  id: string;
  kind: 'INVOICE' | 'CREDIT_NOTE';
  number: string;
  customerId: string;
  month: string;
  periodLabel: string;
  issuedOn: string;
  recipientName: string;
  lines: DocumentLine[];
  subtotal: number;
  tax: number;
  total: number;
  originalInvoiceId: string | null;
  originalInvoiceNumber: string | null;
  [field: string]: unknown;
}

/** 請求処理 for `month` once every event so far reached billing, as the distributor. */
export async function runBilling(h: Harness, month: string): Promise<RunResult> {
  await h.settle();
  return (await h.http(asDistributor).post('/billing/runs', { month }).expect(200)).body;
}

/** The documents of a run result that went to `customerId`. */
export const issuedTo = (documents: Issued[], customerId: string): Issued[] => documents.filter((document) => document.customerId === customerId);

export async function billingDocument(h: Harness, id: string): Promise<BillingDocument> {
  return (await h.http(asDistributor).get(`/invoices/${id}`).expect(200)).body;
}

/**
 * The customer's documents of `month` (or all), as 請求書一覧 lists them; at most one page of 20,
 * so the total is checked to be on it.
 */
export async function documentsOf(h: Harness, customerId: string, { month, kind }: { month?: string; kind?: 'INVOICE' | 'CREDIT_NOTE' } = {}): Promise<BillingDocument[]> {
  const query = new URLSearchParams({ customerId, ...(month && { month }), ...(kind && { kind }) });
  const page = (await h.http(asDistributor).get(`/invoices?${query}`).expect(200)).body as { items: BillingDocument[]; total: number };
  if (page.total !== page.items.length) throw new Error(`more than one page of documents for ${customerId}: ${page.total}`);
  return page.items;
}

/** The one invoice of `month` the run issued to the customer (fails unless there is exactly one). */
export async function theInvoiceOf(h: Harness, result: RunResult, customerId: string): Promise<BillingDocument> {
  const mine = issuedTo(result.invoices, customerId);
  if (mine.length !== 1) throw new Error(`expected one invoice of ${result.month} for ${customerId}, the run issued ${JSON.stringify(result.invoices)}`);
  return billingDocument(h, mine[0].id);
}

/** Every envelope on contract.events so far, read by a fresh consumer group. */
export const contractEvents = (h: Harness): Promise<EventEnvelope[]> => h.publishedOn(TOPICS.contract);

export const POCKETALK_MONTHLY = 'SN-POCKETALK-CC-M';
export const POCKETALK_ANNUAL = 'SN-POCKETALK-SI-Y';

/**
 * Seed 002 through the real API: a customer, an order of a StreamOne (manually provisioned) product
 * ordered and placed (発注) on `placedOn` with a PO number, the distributor's activation, and the
 * contract confirmed from the StreamOne delivery date.
 */
export async function streamOneContract(
  h: Harness,
  {
    placedOn,
    quantity,
    companyName,
    sku = POCKETALK_MONTHLY,
    startDate,
  }: { placedOn: string; quantity: number; companyName: string; sku?: string; startDate: string },
): Promise<ActiveContract> {
  const customer = await readyCustomer(h, { companyName });
  const order = await placeOrder(h, customer, [{ sku, quantity }], { orderDate: placedOn, placedOn, purchaseOrderNumber: `PO-${placedOn}` });
  const [manual] = await subscriptionsOf(h, order.id, (row) => row.status === 'MANUAL_PROVISIONING');
  await h.http(asDistributor).post(`/provisioning/subscriptions/${manual.id}/activate`).expect(200);
  await subscriptionsOf(h, order.id, (row) => row.status === 'ACTIVE');
  const created = await h
    .http()
    .post('/contracts', { orderId: order.id, lineIds: order.lines.map((line) => line.id), subject: 'ポケトーク', subjectForForms: 'ポケトーク', contractDate: placedOn })
    .expect(201);
  return (await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate }).expect(200)).body;
}

/** The change once the vendor confirmed it; a refusal (or no answer) fails the test with the change. */
async function vendorConfirmed(h: Harness, changeId: string) {
  const answered = await changeOnceVendorAnswered(h, changeId);
  if (!answered.lines.every((line) => line.vendorStatus === 'CONFIRMED')) throw new Error(`the vendor did not confirm change ${changeId}: ${JSON.stringify(answered, null, 2)}`);
  return answered;
}

/**
 * 解約 of `quantity` seats of a line (all of them: the line ends), requested on `requestedOn`:
 * accepted, linked, confirmed by the vendor, then 解約確定 with 契約終了日 `endDate`.
 */
export async function cancelSeats(
  h: Harness,
  contractId: string,
  { lineId, quantity, requestedOn, endDate }: { lineId: string; quantity: number; requestedOn: string; endDate: string },
) {
  const changeId = (await h.http().post(`/contracts/${contractId}/cancellations`, { lines: [{ lineId, quantity }], requestedOn }).expect(201)).body.id as string;
  await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
  await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
  await vendorConfirmed(h, changeId);
  return (await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate }).expect(200)).body;
}

/** 数量・商品変更 (CHANGE, a reduction) or 追加 (ADD) of a line to `quantity` seats, in force from `effectiveOn`. */
export async function changeQuantity(
  h: Harness,
  contractId: string,
  { lineId, quantity, requestedOn, effectiveOn }: { lineId: string; quantity: number; requestedOn: string; effectiveOn: string },
) {
  const changeId = (await h.http().post(`/contracts/${contractId}/quantity-changes`, { lines: [{ lineId, quantity }], requestedOn }).expect(201)).body.id as string;
  await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
  await h.http().post(`/contract-changes/${changeId}/link-quantity-change`).expect(200);
  await vendorConfirmed(h, changeId);
  return (await h.http().post(`/contract-changes/${changeId}/confirm-quantity-change`, { effectiveOn }).expect(200)).body;
}

/** 'YYYY-MM' after the month of `date` (YYYY-MM-DD or YYYY-MM), written out here rather than borrowed from the domain. */
export function nextMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
