import { CreditNoteIssued, InvoiceIssued, InvoiceIssuer, InvoiceLine } from '@lp/integration-events';
import { conflict, Decider, FieldError, invalid } from '@lp/eventsourcing';
import { japaneseMonth } from './dates';
import { invoiceTotals, STANDARD_TAX_RATE } from './tax';

/**
 * 請求: one `billingAccount-<customerId>` stream per customer holds every invoice and credit note
 * issued to it. The stream is the ledger of what was charged: a charge id already on an invoice is
 * never invoiced again, a refund already on a credit note never credited again. So a billing run
 * repeated, or resumed after a crash, issues only what no document holds yet — and the optimistic
 * append makes two concurrent runs issue it once.
 */

export const REGISTRATION_NUMBER = /^T\d{13}$/;

interface DocumentCommon {
  customerId: string;
  resellerId: string;
  /** YYYY-MM; the document is dated its 1st. */
  month: string;
  issuer: InvoiceIssuer;
  recipientName: string;
  /** The charges (credits) the run computed; those a document holds already are left out. */
  lines: InvoiceLine[];
}

/** Decided first with a blank number: the application draws a number only when something is issued. */
export interface IssueInvoice extends DocumentCommon {
  type: 'IssueInvoice';
  invoiceId: string;
  invoiceNumber: string;
}

/** Credits that return charges of one earlier invoice (the application groups them: `invoiceHolding`). */
export interface IssueCreditNote extends DocumentCommon {
  type: 'IssueCreditNote';
  creditNoteId: string;
  creditNoteNumber: string;
}

export type BillingAccountCommand = IssueInvoice | IssueCreditNote;
export type BillingAccountEvent = InvoiceIssued | CreditNoteIssued;

export interface IssuedDocument {
  id: string;
  number: string;
}

export interface BillingAccountState {
  /** Charge id → the invoice holding it. */
  invoiced: Record<string, IssuedDocument>;
  /** Refund charge ids already on a credit note. */
  credited: Record<string, IssuedDocument>;
}

/** The invoice that holds `chargeId`, if any: a refund of it is credited against that invoice. */
export function invoiceHolding(state: BillingAccountState, chargeId: string): IssuedDocument | undefined {
  return state.invoiced[chargeId];
}

function validate(command: BillingAccountCommand): void {
  const errors: FieldError[] = [];
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(command.month)) errors.push({ path: 'month', message: 'must be a month (YYYY-MM)' });
  if (!command.issuer.name?.trim()) errors.push({ path: 'issuer.name', message: 'is required (適格請求書発行事業者)' });
  if (!REGISTRATION_NUMBER.test(command.issuer.registrationNumber ?? '')) {
    errors.push({ path: 'issuer.registrationNumber', message: 'must be T followed by 13 digits' });
  }
  // A qualified invoice names its recipient; an issued one never changes, so a blank name is refused.
  if (!command.recipientName?.trim()) errors.push({ path: 'recipientName', message: 'is required (宛先)' });
  if (errors.length) throw invalid(errors);
}

/** What a document of `lines` says besides its own ids. */
function documentOf(command: BillingAccountCommand, lines: InvoiceLine[]) {
  const { subtotal, tax, total } = invoiceTotals(lines, STANDARD_TAX_RATE);
  return {
    customerId: command.customerId,
    resellerId: command.resellerId,
    month: command.month,
    periodLabel: `${japaneseMonth(command.month)}分`,
    issuedOn: `${command.month}-01`,
    issuer: command.issuer,
    recipientName: command.recipientName,
    lines,
    subtotal,
    taxes: [{ rate: STANDARD_TAX_RATE * 100, taxableAmount: subtotal, tax }],
    tax,
    total,
  };
}

function issueInvoice(command: IssueInvoice, state: BillingAccountState): BillingAccountEvent[] {
  validate(command);
  const fresh = command.lines.filter((line) => !state.invoiced[line.chargeId] && line.amount > 0);
  if (fresh.length === 0) return [];
  return [{ type: 'InvoiceIssued', data: { ...documentOf(command, fresh), invoiceId: command.invoiceId, invoiceNumber: command.invoiceNumber } }];
}

function issueCreditNote(command: IssueCreditNote, state: BillingAccountState): BillingAccountEvent[] {
  validate(command);
  // A refund whose sale is not invoiced yet waits for a later run (the sale's invoice comes first).
  const fresh = command.lines.filter((line) => line.refersToChargeId && !state.credited[line.chargeId] && state.invoiced[line.refersToChargeId]);
  if (fresh.length === 0) return [];
  const originals = [...new Set(fresh.map((line) => state.invoiced[line.refersToChargeId!].id))];
  if (originals.length > 1) throw conflict('INVALID_STATE', `A credit note returns charges of one invoice; these span ${originals.join(', ')}`);
  const original = state.invoiced[fresh[0].refersToChargeId!];
  return [
    {
      type: 'CreditNoteIssued',
      data: {
        ...documentOf(command, fresh),
        creditNoteId: command.creditNoteId,
        creditNoteNumber: command.creditNoteNumber,
        originalInvoiceId: original.id,
        originalInvoiceNumber: original.number,
      },
    },
  ];
}

export const billingAccountDecider: Decider<BillingAccountCommand, BillingAccountEvent, BillingAccountState> = {
  initialState: () => ({ invoiced: {}, credited: {} }),

  decide(command, state) {
    switch (command.type) {
      case 'IssueInvoice':
        return issueInvoice(command, state);
      case 'IssueCreditNote':
        return issueCreditNote(command, state);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'InvoiceIssued': {
        const document = { id: event.data.invoiceId, number: event.data.invoiceNumber };
        return { ...state, invoiced: { ...state.invoiced, ...Object.fromEntries(event.data.lines.map((line) => [line.chargeId, document])) } };
      }
      case 'CreditNoteIssued': {
        const document = { id: event.data.creditNoteId, number: event.data.creditNoteNumber };
        return { ...state, credited: { ...state.credited, ...Object.fromEntries(event.data.lines.map((line) => [line.chargeId, document])) } };
      }
      default:
        return state;
    }
  },
};

export const billingAccountStreamId = (customerId: string) => `billingAccount-${customerId}`;
