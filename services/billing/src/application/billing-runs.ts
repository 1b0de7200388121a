import { randomUUID } from 'crypto';
import { aggregateStream, CommandContext, CommandHandler, DocumentNumbers, EventStore } from '@lp/eventsourcing';
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
import { BillingLineView } from '../projections/views';
import { customersWithLines } from './lines-by-customer';

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

/**
 * 請求処理 for a month: one invoice per customer dated the 1st with every charge of that month
 * (chargesForMonth) that no invoice holds yet, and credit notes for refunds against the invoices
 * that hold the refunded sales. A run interrupted by a crash is simply run again: the ledger on
 * each customer's stream leaves out what was issued.
 */
export class BillingRuns {
  private readonly accounts: CommandHandler<BillingAccountCommand, BillingAccountEvent, BillingAccountState>;
  private readonly numbers: DocumentNumbers;

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly issuer: InvoiceIssuer,
  ) {
    this.accounts = new CommandHandler(store, billingAccountDecider, { maxAttempts: MAX_ATTEMPTS });
    this.numbers = new DocumentNumbers(store, { prefix: 'INV', document: 'invoice', duplicateCode: 'DUPLICATE_INVOICE_NUMBER' });
  }

  async run(month: string, context: CommandContext): Promise<BillingRunResult> {
    const result: BillingRunResult = { month, customers: 0, invoices: [], creditNotes: [], skipped: [] };
    for await (const { customerId, recipientName, lines } of customersWithLines(this.readStore)) {
      result.customers++;
      if (!recipientName) {
        // The account decider refuses a document without its recipient: leave the customer for a later run.
        result.skipped.push({ customerId, reason: 'the customer (CustomerRegistered) has not reached billing yet' });
        continue;
      }
      const common = { customerId, resellerId: lines[0].resellerId, month, issuer: this.issuer, recipientName };
      const charges = lines.flatMap((row) => chargesForMonth(row.line, month, row.usage).map((charge) => invoiceLine(charge, row)));
      const invoice = await this.issue(customerId, (number) => ({ type: 'IssueInvoice', ...common, invoiceId: randomUUID(), invoiceNumber: number, lines: charges }), context);
      if (invoice) result.invoices.push(invoice);

      const credits = lines.flatMap((row) => creditsForMonth(row.line, month).map((charge) => invoiceLine(charge, row)));
      if (credits.length === 0) continue;
      // A credit note returns charges of one invoice: one per original invoice.
      const { state } = await aggregateStream(this.store, billingAccountStreamId(customerId), billingAccountDecider);
      const byOriginal = new Map<string, InvoiceLine[]>();
      for (const credit of credits) {
        const original = invoiceHolding(state, credit.refersToChargeId!)?.id ?? 'not-yet-invoiced';
        byOriginal.set(original, [...(byOriginal.get(original) ?? []), credit]);
      }
      for (const group of byOriginal.values()) {
        const note = await this.issue(customerId, (number) => ({ type: 'IssueCreditNote', ...common, creditNoteId: randomUUID(), creditNoteNumber: number, lines: group }), context);
        if (note) result.creditNotes.push(note);
      }
    }
    return result;
  }

  /**
   * The handler's check decides with a blank number first, so a customer with nothing new burns no
   * number; then the next INV number of the month is drawn and the document issued. When another
   * run issued first, the handler decides again on the fresh ledger (the burnt number is never
   * reused: numbers only grow) and draws another number only if something is still left to issue.
   * Returns what was issued, if anything.
   */
  private async issue(customerId: string, commandOf: (number: string) => BillingAccountCommand, context: CommandContext): Promise<IssuedSummary | undefined> {
    const { events } = await this.accounts.handle(
      billingAccountStreamId(customerId),
      async (_state, { check }) => {
        const draft = commandOf('');
        if (check(draft).length === 0) return undefined;
        const number = await this.numbers.next(`${draft.month}-01`, customerId, context);
        return { ...draft, ...numberOf(draft, number) };
      },
      context,
    );
    const [issued] = events;
    if (!issued) return undefined;
    const data = issued.data as { invoiceId?: string; creditNoteId?: string; invoiceNumber?: string; creditNoteNumber?: string; total: number };
    return { id: (data.invoiceId ?? data.creditNoteId)!, number: (data.invoiceNumber ?? data.creditNoteNumber)!, customerId, total: data.total };
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
