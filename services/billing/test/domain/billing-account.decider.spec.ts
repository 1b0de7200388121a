import { InvoiceLine } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import { BillingAccountEvent, billingAccountDecider, IssueCreditNote, IssueInvoice } from '../../src/domain/billing-account';

const given = DeciderSpecification.for(billingAccountDecider);
const issuer = { name: 'ライセンス・ディストリビューション株式会社', registrationNumber: 'T1234567890123' };

const charge = (chargeId: string, amount: number, overrides: Partial<InvoiceLine> = {}): InvoiceLine => ({
  chargeId,
  kind: 'MONTHLY',
  contractId: 'k-1',
  contractNumber: 'NCN202607-0000000001',
  lineId: 'l-1',
  sku: 'MS-O365-E1',
  productName: 'Office 365 E1',
  description: 'Office 365 E1 2026年7月分',
  periodStart: '2026-07-01',
  periodEnd: '2026-07-31',
  quantity: 3,
  unitPrice: 870,
  amount,
  ...overrides,
});
const E1_JULY = charge('l-1:MONTHLY:2026-07', 2610);
const P1_JULY = charge('l-2:MONTHLY:2026-07', 1740, { lineId: 'l-2', productName: 'Project Plan 1', quantity: 2 });
const SOFTWARE = charge('l-3:ONE_TIME', 120000, { kind: 'ONE_TIME', lineId: 'l-3', quantity: 1, unitPrice: 120000 });
const REFUND = charge('l-3:REFUND:ch-1', -120000, { kind: 'REFUND', lineId: 'l-3', quantity: 1, unitPrice: 120000, refersToChargeId: 'l-3:ONE_TIME' });

const common = { customerId: 'c-1', resellerId: 'r-direct', month: '2026-07', issuer, recipientName: 'factory2016T' };
const invoice = (lines: InvoiceLine[], invoiceId = 'inv-1', invoiceNumber = 'INV202607-0000000001'): IssueInvoice => ({ type: 'IssueInvoice', ...common, invoiceId, invoiceNumber, lines });
const creditNote = (lines: InvoiceLine[], month = '2026-08'): IssueCreditNote => ({
  type: 'IssueCreditNote',
  ...common,
  month,
  creditNoteId: 'cn-1',
  creditNoteNumber: 'INV202608-0000000005',
  lines,
});

const issued = (lines: InvoiceLine[], subtotal: number, tax: number, invoiceId = 'inv-1', invoiceNumber = 'INV202607-0000000001'): BillingAccountEvent => ({
  type: 'InvoiceIssued',
  data: {
    ...common,
    periodLabel: '2026年7月分',
    issuedOn: '2026-07-01',
    lines,
    subtotal,
    taxes: [{ rate: 10, taxableAmount: subtotal, tax }],
    tax,
    total: subtotal + tax,
    invoiceId,
    invoiceNumber,
  },
});

describe('billing account decider (one ledger per customer)', () => {
  it('seed 001: issues the month’s charges on one invoice dated the 1st; tax once on the total, rounded down (2,610 → 261 → 2,871)', () => {
    given([]).when(invoice([E1_JULY])).then([issued([E1_JULY], 2610, 261)]);
  });

  it('taxes the invoice total, not each line: 2,610 + 1,740 = 4,350 → 435 (per line it would be 261 + 174)', () => {
    given([]).when(invoice([E1_JULY, P1_JULY])).then([issued([E1_JULY, P1_JULY], 4350, 435)]);
    const odd = [charge('a', 1005), charge('b', 1005)];
    // Per line floor(100.5) + floor(100.5) = 200; once on 2,010 → 201.
    given([]).when(invoice(odd)).then([issued(odd, 2010, 201)]);
  });

  it('a rerun issues nothing twice: only charges no invoice holds yet, on a new invoice', () => {
    given([issued([E1_JULY], 2610, 261)]).when(invoice([E1_JULY])).thenNothingHappened();
    given([issued([E1_JULY], 2610, 261)])
      .when(invoice([E1_JULY, P1_JULY], 'inv-2', 'INV202607-0000000002'))
      .then([issued([P1_JULY], 1740, 174, 'inv-2', 'INV202607-0000000002')]);
  });

  it('leaves out zero charges; nothing to charge issues nothing', () => {
    given([]).when(invoice([charge('trial', 0)])).thenNothingHappened();
  });

  it('refuses an invoice without its recipient (a qualified invoice names it, and never changes once issued) (400)', () => {
    given([]).when({ ...invoice([E1_JULY]), recipientName: ' ' }).thenThrows({ kind: 'invalid', errors: [expect.objectContaining({ path: 'recipientName' })] });
  });

  it('refuses an issuer without a name or a registration number that is not T + 13 digits (400)', () => {
    given([])
      .when({ ...invoice([E1_JULY]), issuer: { name: ' ', registrationNumber: 'T123' } })
      .thenThrows({ kind: 'invalid', errors: [expect.objectContaining({ path: 'issuer.name' }), expect.objectContaining({ path: 'issuer.registrationNumber' })] });
  });

  describe('credit notes (適格返還請求書)', () => {
    const sold = issued([SOFTWARE], 120000, 12000);
    it('returns a sale of an earlier invoice, referring to it; tax returned rounds towards zero', () => {
      given([sold])
        .when(creditNote([REFUND]))
        .then([
          {
            type: 'CreditNoteIssued',
            data: {
              ...common,
              month: '2026-08',
              periodLabel: '2026年8月分',
              issuedOn: '2026-08-01',
              lines: [REFUND],
              subtotal: -120000,
              taxes: [{ rate: 10, taxableAmount: -120000, tax: -12000 }],
              tax: -12000,
              total: -132000,
              creditNoteId: 'cn-1',
              creditNoteNumber: 'INV202608-0000000005',
              originalInvoiceId: 'inv-1',
              originalInvoiceNumber: 'INV202607-0000000001',
            },
          },
        ]);
    });
    it('credits a refund once', () => {
      const credited: BillingAccountEvent = { type: 'CreditNoteIssued', data: { ...common, periodLabel: '', issuedOn: '', lines: [REFUND], subtotal: -120000, taxes: [], tax: -12000, total: -132000, creditNoteId: 'cn-1', creditNoteNumber: 'X', originalInvoiceId: 'inv-1', originalInvoiceNumber: 'Y' } };
      given([sold, credited]).when(creditNote([REFUND])).thenNothingHappened();
    });
    it('waits while the refunded sale is on no invoice yet', () => {
      given([]).when(creditNote([REFUND])).thenNothingHappened();
    });
  });
});
