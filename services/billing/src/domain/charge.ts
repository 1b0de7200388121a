import type { BillingLine } from './billing-line';
import type { IsoDate, YearMonth } from './dates';

export type ChargeKind = 'MONTHLY' | 'PRORATED' | 'ANNUAL' | 'ONE_TIME' | 'USAGE' | 'REFUND';

/** One line of an invoice (or, kind REFUND, of a credit note). */
export interface Charge {
  /**
   * Stable identity: the same charge computed again has the same id, so a billing run that is
   * repeated (or catches up a back-dated line) never charges it twice. See `chargeIds`.
   */
  chargeId: string;
  lineId: string;
  contractId: string;
  customerId: string;
  resellerId: string;
  kind: ChargeKind;
  /** Product name and period, as printed on the qualified invoice. */
  description: string;
  /** Inclusive. */
  periodStart: IsoDate;
  /** Inclusive. */
  periodEnd: IsoDate;
  quantity: number;
  /** Integer yen. */
  unitPrice: number;
  /** Integer yen, tax exclusive; negative for REFUND. */
  amount: number;
  /** REFUND: the charge this credit returns (a 適格返還請求書 refers to the original sale). */
  refersToChargeId?: string;
}

/**
 * What a line's charge ids start with: its line id, or, for a product the line moved to (数量・商品変更),
 * the line id and that product: its schedule runs beside the old product's and never shares its ids.
 */
export const chargeKey = (line: Pick<BillingLine, 'lineId' | 'sku' | 'productChangedOn'>): string => (line.productChangedOn ? `${line.lineId}~${line.sku}` : line.lineId);

/** Every charge id a line can have: `<lineId>:<KIND>[:<what makes it unique>]`. */
export const chargeIds = {
  /** The full charge for `month`. */
  monthly: (lineId: string, month: YearMonth) => `${lineId}:MONTHLY:${month}`,
  /** Part of `month` (the first month from a start after the 1st). */
  prorated: (lineId: string, month: YearMonth) => `${lineId}:PRORATED:${month}`,
  /** Seats added to an annual line, charged up to its next anniversary from `month`. */
  proratedAdd: (lineId: string, month: YearMonth, changeId: string) => `${lineId}:PRORATED:${month}:${changeId}`,
  /** Twelve months from `firstMonth`. */
  annual: (lineId: string, firstMonth: YearMonth) => `${lineId}:ANNUAL:${firstMonth}`,
  /** The line's one purchase (on-premises software). */
  oneTime: (lineId: string) => `${lineId}:ONE_TIME`,
  usage: (lineId: string, month: YearMonth, usageId: string) => `${lineId}:USAGE:${month}:${usageId}`,
  /** The credit the cancellation or reduction `changeId` earns. */
  refund: (lineId: string, changeId: string) => `${lineId}:REFUND:${changeId}`,
};

export type ChargeFields = Omit<Charge, 'lineId' | 'contractId' | 'customerId' | 'resellerId'>;

/** A charge of `line`: the line's identity and customer, plus what is charged. */
export function chargeOf(line: BillingLine, fields: ChargeFields): Charge {
  return { lineId: line.lineId, contractId: line.contractId, customerId: line.customerId, resellerId: line.resellerId, ...fields };
}

/** Nothing is charged for nothing: a trial (0 yen), a line reduced to 0 seats, a proration rounded to 0. */
export const worthCharging = (charge: Charge): boolean => charge.amount !== 0;
