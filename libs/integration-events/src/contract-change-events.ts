import { ContractReference } from './contract-events';

/**
 * Contract changes (契約変更), published on contract.events (schemaVersion 1) from the
 * `contractChange-<changeId>` streams. Message key: the change id.
 *
 * Flow: ContractChangeRequested → ContractChangeAccepted → CancellationLinked / QuantityChangeLinked
 * (provisioning cancels, reduces or adds seats at the vendor and reports it) → CancellationConfirmed /
 * QuantityChanged (billing charges from it). ContractChangeWithdrawn ends a change that never
 * reached the vendor.
 */

/** `ADD` 追加, `CHANGE` 数量・商品変更 (a reduction), `RENEWAL` 更新, `CANCELLATION` 解約. */
export type ContractChangeType = 'ADD' | 'CHANGE' | 'RENEWAL' | 'CANCELLATION';

/** What every published contract change event carries: the change and the contract it changes. */
export interface ContractChangeReference extends ContractReference {
  changeId: string;
  type: ContractChangeType;
}

/** Which line every change event speaks of: the contract line, its order line, product and subscription. */
export interface ChangeLineIdentity {
  /** The contract line (= its order line id). */
  lineId: string;
  orderLineId: string;
  sku: string;
  productName: string;
  /** Provisioning's subscription of the line: what the vendor link acts on. */
  subscriptionId: string;
}

/** A contract line as requested in a change. */
export interface ContractChangeLine extends ChangeLineIdentity {
  /** The line's quantity when the change was requested. */
  currentQuantity: number;
  /**
   * As requested: for a CANCELLATION the seats to cancel (1 … current; all of them = the line ends);
   * for ADD / CHANGE the new quantity.
   */
  quantity: number;
  /** The quantity in force once the change is done (0: the line is cancelled). */
  newQuantity: number;
}

export type ContractChangeRequested = {
  type: 'ContractChangeRequested';
  data: ContractChangeReference & {
    subject: string;
    requestedOn: string;
    lines: ContractChangeLine[];
  };
};

/** 受付 */
export type ContractChangeAccepted = {
  type: 'ContractChangeAccepted';
  data: ContractChangeReference & { acceptedOn: string };
};

/** A cancelled or reduced line as sent to the vendor (解約連携). */
export interface LinkedCancellationLine extends ChangeLineIdentity {
  currentQuantity: number;
  /** Seats to cancel. */
  quantity: number;
  /** Seats left afterwards; 0 = cancel the whole subscription. */
  remainingQuantity: number;
}

/** 解約連携: provisioning cancels (remainingQuantity 0) or reduces each subscription, then reports it. */
export type CancellationLinked = {
  type: 'CancellationLinked';
  data: ContractChangeReference & {
    type: 'CANCELLATION';
    requestedOn: string;
    linkedOn: string;
    /** The lines linked by this command (a change may be linked in parts). */
    lines: LinkedCancellationLine[];
  };
};

export interface QuantityChangeLine extends ChangeLineIdentity {
  previousQuantity: number;
  newQuantity: number;
}

/** An add (ADD) or reduction (CHANGE) linked to the vendor: provisioning sets each subscription's quantity. */
export type QuantityChangeLinked = {
  type: 'QuantityChangeLinked';
  data: ContractChangeReference & {
    type: 'ADD' | 'CHANGE';
    requestedOn: string;
    linkedOn: string;
    lines: QuantityChangeLine[];
  };
};

export interface ConfirmedCancellationLine extends ChangeLineIdentity {
  cancelledQuantity: number;
  /** 0: the line is CANCELLED; more: it keeps running with this quantity (a reduction). */
  remainingQuantity: number;
}

/** 解約確定: what billing stops (or reduces) charging from. */
export type CancellationConfirmed = {
  type: 'CancellationConfirmed';
  data: ContractChangeReference & {
    type: 'CANCELLATION';
    requestedOn: string;
    /** 契約終了日 */
    endDate: string;
    /** 解約日: the business date of the confirmation. */
    cancelledOn: string;
    /** Confirmed with `force` while a vendor had not confirmed yet. */
    forced: boolean;
    lines: ConfirmedCancellationLine[];
  };
};

/** An add or reduction took effect. */
export type QuantityChanged = {
  type: 'QuantityChanged';
  data: ContractChangeReference & {
    type: 'ADD' | 'CHANGE';
    requestedOn: string;
    effectiveOn: string;
    confirmedOn: string;
    forced: boolean;
    lines: QuantityChangeLine[];
  };
};

/** キャンセル: the change was withdrawn before anything reached the vendor. */
export type ContractChangeWithdrawn = {
  type: 'ContractChangeWithdrawn';
  data: ContractChangeReference & { withdrawnOn: string };
};

export type ContractChangeIntegrationEvent =
  | ContractChangeRequested
  | ContractChangeAccepted
  | CancellationLinked
  | QuantityChangeLinked
  | CancellationConfirmed
  | QuantityChanged
  | ContractChangeWithdrawn;

export const CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES: ContractChangeIntegrationEvent['type'][] = [
  'ContractChangeRequested',
  'ContractChangeAccepted',
  'CancellationLinked',
  'QuantityChangeLinked',
  'CancellationConfirmed',
  'QuantityChanged',
  'ContractChangeWithdrawn',
];
