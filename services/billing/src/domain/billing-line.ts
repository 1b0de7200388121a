import type { IsoDate, YearMonth } from './dates';

/** The policies domain.md names; a catalog product names one of them. */
export type KnownBillingPolicy = 'stellr-cutoff' | 'microsoft-csp-monthly' | 'microsoft-csp-usage' | 'onprem-software' | 'microsoft-nce';

/**
 * A seat change of a line, in the order the changes were confirmed.
 * Built from QuantityChanged (type ADD → 'ADD', CHANGE → 'REDUCE') and from a CancellationConfirmed
 * that leaves seats (remainingQuantity > 0): a reduction with effectiveOn = its end date.
 */
export interface QuantityChange {
  changeId: string;
  /** RENEWAL: a renewed term's new quantity (ContractLineRenewed), in force from the term's first day under every policy. */
  kind: 'ADD' | 'REDUCE' | 'RENEWAL';
  /** When the change was requested (申請): StreamOne's deadlines and placement rule count from it. */
  requestedOn: IsoDate;
  /** When the contract says the new quantity is in force (QuantityChanged.effectiveOn). */
  effectiveOn: IsoDate;
  /** The line's quantity once the change is done. */
  newQuantity: number;
  /** When the contract confirmed it (変更確定 / 解約確定): a credit it earns waits for the run after it. */
  confirmedOn?: IsoDate;
}

/** A confirmed cancellation of all of the line's seats (解約確定). */
export interface LineCancellation {
  changeId: string;
  /** When the cancellation was requested (解約手続き). */
  requestedOn: IsoDate;
  /** 契約終了日: the last day of the contract line. */
  endDate: IsoDate;
  /** 解約日: the business date the cancellation was confirmed. */
  cancelledOn: IsoDate;
  /**
   * Why the line ends when it was not cancelled on request (解約): its term ended with auto-renew off,
   * or the line moved to another product (数量・商品変更), which bills on from the next day.
   */
  reason?: 'TERM_END' | 'PRODUCT_CHANGE';
}

/**
 * A contract line as billing knows it, built only from contract events (ContractConfirmed,
 * QuantityChanged, CancellationConfirmed) and the order line's placement date.
 */
export interface BillingLine {
  contractId: string;
  lineId: string;
  customerId: string;
  resellerId: string;
  sku: string;
  productName: string;
  /** Integer yen; for an annual term (stellr `term: 'annual'`) the price of one seat for one year. */
  unitPrice: number;
  billingPolicy: KnownBillingPolicy | (string & {});
  /** The order line's placement date (発注日). */
  placedOn: IsoDate;
  /** The contract line's start date (契約確定 start). */
  startDate: IsoDate;
  /** The quantity at the start. */
  quantity: number;
  /** On-premises software: days after the start date within which a cancellation is refunded. */
  refundWindowDays?: number;
  /** stellr-cutoff only: 'annual' = 年契約年払い (12 months paid up front); default monthly. */
  term?: 'monthly' | 'annual';
  /** A product the line moved to (数量・商品変更): the day it took effect, from which this product bills. */
  productChangedOn?: IsoDate;
  changes: QuantityChange[];
  cancellation?: LineCancellation;
}

/** Imported usage of a usage-billed line (Azure plan) for one month. */
export interface UsageRecord {
  /** Stable identity of the imported record: a re-import of the same record is charged once. */
  usageId: string;
  lineId: string;
  /** The month the usage was consumed in; it is charged on the next month's invoice. */
  month: YearMonth;
  /** Integer yen, tax exclusive. */
  amount: number;
  description: string;
}

/** A seat change with its signed difference to the quantity before it. */
export interface SeatDelta {
  change: QuantityChange;
  delta: number;
}

/**
 * Each change as a signed seat difference, following the confirmed order of `newQuantity`s.
 * Policies give each change their own "counts from" date, so the quantity on a date is the start
 * quantity plus the deltas counted by then: an add that counts earlier than a reduction confirmed
 * before it still adds its seats.
 */
export function seatDeltas(line: BillingLine): SeatDelta[] {
  let previous = line.quantity;
  return line.changes.map((change) => {
    const delta = change.newQuantity - previous;
    previous = change.newQuantity;
    return { change, delta };
  });
}

/** The quantity in force on `date`, when each change counts from `countsFrom(change)` (inclusive). */
export function quantityOn(line: BillingLine, date: IsoDate, countsFrom: (change: QuantityChange) => IsoDate): number {
  const quantity = seatDeltas(line)
    .filter(({ change }) => countsFrom(change) <= date)
    .reduce((sum, { delta }) => sum + delta, line.quantity);
  return Math.max(0, quantity);
}
