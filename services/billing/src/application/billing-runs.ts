import { CommandContext, CommandHandler, DocumentNumbers, EventStore, newId } from '@lp/eventsourcing';
import { InvoiceIssuer, InvoiceLine } from '@lp/integration-events';
import { ReadStore } from '@lp/read-models';
import {
  BillingAccountCommand,
  billingAccountDecider,
  BillingAccountEvent,
  BillingAccountState,
  billingAccountStreamId,
  invoiceHolding,
} from '../domain/billing-account';
import { Charge } from '../domain/charge';
import { chargesForMonth, creditsForMonth } from '../domain/schedule';
import { BillingLineView, COLLECTIONS, KnownCustomerView } from '../projections/views';
import { forEachConcurrently } from './bounded-concurrency';
import { CustomerLines, customersWithLines } from './lines-by-customer';

/** What one run issued; a run of a month already done issues nothing. */
export interface BillingRunResult {
  month: string;
  customers: number;
  invoices: IssuedSummary[];
  creditNotes: IssuedSummary[];
  /** Customers left for a later run, and why (e.g. their name has not arrived from order.events yet). */
  skipped: { customerId: string; reason: string }[];
}

export interface IssuedSummary {
  id: string;
  number: string;
  customerId: string;
  total: number;
}

/** Two runs of the same customer at once: the loser reloads the ledger and issues only what is left. */
const MAX_ATTEMPTS = 5;
/** Customers billed at once by default: enough that their appends share the store's commits. */
export const DEFAULT_RUN_CONCURRENCY = 16;

export interface BillingRunsOptions {
  /** Customers billed at once (1: one after another). Each customer's documents stay in order on its own stream. */
  concurrency?: number;
}

/** What a run did for one customer. */
interface CustomerOutcome {
  invoice?: IssuedSummary;
  creditNotes: IssuedSummary[];
  skipped?: { customerId: string; reason: string };
}

/**
 * 請求処理 for a month: one invoice per customer dated the 1st with every charge of that month
 * (chargesForMonth) that no invoice holds yet, and credit notes for refunds against the invoices
 * that hold the refunded sales. Customers are billed side by side (`concurrency`), each on its own
 * stream, so their appends go into the store's commits together; the result lists them in customer
 * order whatever order they finished in. A run interrupted by a crash is simply run again: the
 * ledger on each customer's stream leaves out what was issued, and a document is one append, so it
 * is there whole or not at all.
 */
export class BillingRuns {
  private readonly accounts: CommandHandler<BillingAccountCommand, BillingAccountEvent, BillingAccountState>;
  private readonly numbers: DocumentNumbers;
  private readonly concurrency: number;

  constructor(
    store: EventStore,
    private readonly readStore: ReadStore,
    private readonly issuer: InvoiceIssuer,
    options: BillingRunsOptions = {},
  ) {
    this.accounts = new CommandHandler(store, billingAccountDecider, { maxAttempts: MAX_ATTEMPTS });
    this.numbers = new DocumentNumbers(store, { prefix: 'INV', document: 'invoice', duplicateCode: 'DUPLICATE_INVOICE_NUMBER' });
    this.concurrency = options.concurrency ?? DEFAULT_RUN_CONCURRENCY;
  }

  async run(month: string, context: CommandContext): Promise<BillingRunResult> {
    const outcomes: CustomerOutcome[] = [];
    await forEachConcurrently(customersWithLines(this.readStore), this.concurrency, async (customer, index) => {
      outcomes[index] = await this.bill(customer, month, context);
    });
    return {
      month,
      customers: outcomes.length,
      invoices: outcomes.flatMap((outcome) => (outcome.invoice ? [outcome.invoice] : [])),
      creditNotes: outcomes.flatMap((outcome) => outcome.creditNotes),
      skipped: outcomes.flatMap((outcome) => (outcome.skipped ? [outcome.skipped] : [])),
    };
  }

  /** One customer's invoice of the month, then its credit notes: one per invoice whose sales they return. */
  private async bill({ customerId, lines }: CustomerLines, month: string, context: CommandContext): Promise<CustomerOutcome> {
    const recipientName = (await this.readStore.collection<KnownCustomerView>(COLLECTIONS.customers).get(customerId))?.companyName;
    if (!recipientName) {
      // The account decider refuses a document without its recipient: leave the customer for a later run.
      return { creditNotes: [], skipped: { customerId, reason: 'the customer (CustomerRegistered) has not reached billing yet' } };
    }
    const common = { customerId, resellerId: lines[0].resellerId, month, issuer: this.issuer, recipientName };
    const charges = lines.flatMap((row) => chargesForMonth(row.line, month, row.usage).map((charge) => invoiceLine(charge, row)));
    const { issued: invoice, state } = await this.issue(customerId, (number) => ({ type: 'IssueInvoice', ...common, invoiceId: newId(), invoiceNumber: number, lines: charges }), context);

    const credits = lines.flatMap((row) => creditsForMonth(row.line, month).map((charge) => invoiceLine(charge, row)));
    const creditNotes: IssuedSummary[] = [];
    // The ledger as the invoice left it tells which invoice holds each refunded sale.
    const byOriginal = new Map<string, InvoiceLine[]>();
    for (const credit of credits) {
      const original = invoiceHolding(state, credit.refersToChargeId!)?.id ?? 'not-yet-invoiced';
      byOriginal.set(original, [...(byOriginal.get(original) ?? []), credit]);
    }
    for (const group of byOriginal.values()) {
      const { issued } = await this.issue(customerId, (number) => ({ type: 'IssueCreditNote', ...common, creditNoteId: newId(), creditNoteNumber: number, lines: group }), context);
      if (issued) creditNotes.push(issued);
    }
    return { ...(invoice ? { invoice } : {}), creditNotes };
  }

  /**
   * The handler's check decides with a blank number first, so a customer with nothing new claims no
   * number; then the next INV number of the month is claimed with the document (in its own commit
   * where the store can, see DocumentNumbers.claimNext). When another run issued first, the handler
   * decides again on the fresh ledger and issues only what is still left.
   * Returns what was issued, if anything, and the customer's ledger after it.
   */
  private async issue(
    customerId: string,
    commandOf: (number: string) => BillingAccountCommand,
    context: CommandContext,
  ): Promise<{ issued?: IssuedSummary; state: BillingAccountState }> {
    const draft = commandOf('');
    const claim = this.numbers.claimNext(`${draft.month}-01`, customerId, context, (command: BillingAccountCommand, number) => ({ ...command, ...numberOf(command, number) }) as BillingAccountCommand);
    const { events, state } = await this.accounts.handle(
      billingAccountStreamId(customerId),
      (_state, { check }) => (check(draft).length === 0 ? undefined : draft),
      context,
      { claim },
    );
    const [issued] = events;
    if (!issued) return { state };
    const data = issued.data as { invoiceId?: string; creditNoteId?: string; invoiceNumber?: string; creditNoteNumber?: string; total: number };
    return { issued: { id: (data.invoiceId ?? data.creditNoteId)!, number: (data.invoiceNumber ?? data.creditNoteNumber)!, customerId, total: data.total }, state };
  }
}

function numberOf(command: BillingAccountCommand, number: string) {
  return command.type === 'IssueInvoice' ? { invoiceNumber: number } : { creditNoteNumber: number };
}

/** A charge as printed: with the contract's number and the order's PO / end-user order numbers. */
function invoiceLine(charge: Charge, row: BillingLineView): InvoiceLine {
  const { contract, line } = row;
  return {
    chargeId: charge.chargeId,
    kind: charge.kind,
    contractId: charge.contractId,
    contractNumber: contract.contractNumber,
    lineId: charge.lineId,
    sku: line.sku,
    productName: line.productName,
    description: charge.description,
    periodStart: charge.periodStart,
    periodEnd: charge.periodEnd,
    quantity: charge.quantity,
    unitPrice: charge.unitPrice,
    amount: charge.amount,
    ...(contract.purchaseOrderNumber ? { purchaseOrderNumber: contract.purchaseOrderNumber } : {}),
    ...(contract.endUserOrderNumber ? { endUserOrderNumber: contract.endUserOrderNumber } : {}),
    ...(charge.refersToChargeId ? { refersToChargeId: charge.refersToChargeId } : {}),
  };
}
