import { KnownOrder, KnownSubscription } from './known';
import { OpenChangeType } from './events';

// -- The contract's lifecycle ---------------------------------------------------------------------

export interface CreateContract {
  type: 'CreateContract';
  contractId: string;
  /**
   * Given by hand, or blank: the application decides once with a blank number (a refused contract
   * burns no number), then reserves the given number or draws the next NCN and decides again.
   */
  contractNumber: string;
  order: KnownOrder;
  /** Order line ids to contract (POST /contracts lineIds). */
  lineIds: string[];
  /** Order line ids already in another contract (see ../line-reservations.ts). */
  contractedLineIds: string[];
  subject: string;
  subjectForForms: string;
  /** A real date 'YYYY-MM-DD' (CreateContractDto). */
  contractDate: string;
  paymentMethod?: string;
  storeNotes?: string;
}

export interface ConfirmLines {
  type: 'ConfirmLines';
  /** Contract line ids, each once (ConfirmContractDto); default: every PENDING line. */
  lineIds?: string[];
  /** A real date (ConfirmContractDto); default: confirmedOn. */
  startDate?: string;
  /** The business date of the confirmation (today in Tokyo). */
  confirmedOn: string;
  /** The subscriptions of the contract's order lines, as provisioning's events told them. */
  subscriptions: KnownSubscription[];
}

// -- The change lock: a change's lines are held from its opening to its outcome -------------------

/**
 * 解約手続き (POST /contracts/:id/cancellations) or a quantity change (POST /contracts/:id/quantity-changes,
 * type from quantityChangeType). Decided on the contract stream, so eligibility and the line lock are atomic.
 */
export interface OpenChange {
  type: 'OpenChange';
  changeId: string;
  /** QUANTITY_CHANGE: ADD or CHANGE, whichever the new quantities ask for (quantityChangeType); PRODUCT_CHANGE: a CHANGE to another product. */
  changeType: OpenChangeType | 'QUANTITY_CHANGE' | 'PRODUCT_CHANGE';
  /**
   * CANCELLATION: seats to cancel per line; ADD / CHANGE / QUANTITY_CHANGE: the new quantity per line; RENEWAL and
   * PRODUCT_CHANGE: the next term's / the new product's (default: unchanged). Whole numbers; PRODUCT_CHANGE gives the sku.
   */
  lines?: { lineId: string; quantity?: number; sku?: string }[];
  /** CANCELLATION only: 全選択, every active line at its full quantity. */
  all?: boolean;
  /** A real date; default: today. */
  requestedOn?: string;
  /** The business date (today in Tokyo). */
  today: string;
}

/** From the change's CancellationConfirmed; a change applied (or closed) before is a no-op. */
export interface ApplyCancellation {
  type: 'ApplyCancellation';
  changeId: string;
  lines: { lineId: string; quantity: number }[];
  endDate: string;
  cancelledOn: string;
}

/** From the change's QuantityChanged; a change applied (or closed) before is a no-op. */
export interface ApplyQuantityChange {
  type: 'ApplyQuantityChange';
  changeId: string;
  /** vendorConfirmedOn: the day the vendor confirmed the line's seats (added new-commerce seats count their window from it). */
  lines: { lineId: string; newQuantity: number; newSku?: string; newProductName?: string; newUnitPrice?: number; vendorConfirmedOn?: string }[];
  effectiveOn: string;
}

/** From the change's ContractChangeWithdrawn: releases its lines; a no-op once applied or closed. */
export interface CloseChange {
  type: 'CloseChange';
  changeId: string;
}

// -- Terms and renewal ----------------------------------------------------------------------------

export interface SetAutoRenew {
  type: 'SetAutoRenew';
  lineId: string;
  autoRenew: boolean;
  /** The business date (today in Tokyo). */
  changedOn: string;
}

/** A renewal run (POST /contracts/renewal-runs, or the daily timer): every term that ended before `asOf`. */
export interface RenewTerms {
  type: 'RenewTerms';
  asOf: string;
  /** The business date of the run. */
  renewedOn: string;
}

/** From the change's RenewalScheduled; a change applied (or closed) before is a no-op. */
export interface ApplyRenewalChange {
  type: 'ApplyRenewalChange';
  changeId: string;
  lines: { lineId: string; newQuantity: number }[];
}

export type ContractCommand =
  | CreateContract
  | ConfirmLines
  | OpenChange
  | ApplyCancellation
  | ApplyQuantityChange
  | CloseChange
  | SetAutoRenew
  | RenewTerms
  | ApplyRenewalChange;
