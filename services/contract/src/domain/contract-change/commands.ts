import { ContractChangeLine, ContractChangeType, ContractReference } from '@lp/integration-events';
import type { ContractChangeOpened } from '../contract';

/** Creates the change from the contract's ContractChangeOpened (requestChangeFrom); a no-op when it exists. */
export interface RequestChange {
  type: 'RequestChange';
  changeId: string;
  changeType: ContractChangeType;
  contract: ContractReference;
  subject: string;
  requestedOn: string;
  lines: ContractChangeLine[];
}

/** 受付 */
export interface Accept {
  type: 'Accept';
  acceptedOn: string;
}

/** 受付取消 */
export interface RevokeAcceptance {
  type: 'RevokeAcceptance';
  revokedOn: string;
}

/** 解約連携 (and its counterpart for ADD / CHANGE): chosen lines, default every line not linked yet. */
export interface Link {
  type: 'Link';
  /** Which endpoint asked (link-cancellation / link-quantity-change): a change of the other kind is refused. */
  kind?: 'CANCELLATION' | 'QUANTITY_CHANGE';
  lineIds?: string[];
  linkedOn: string;
}

/** Provisioning reported the vendor did it (SubscriptionCancelled / SubscriptionQuantityChanged). Idempotent. */
export interface RecordVendorConfirmation {
  type: 'RecordVendorConfirmation';
  subscriptionId: string;
  confirmedOn: string;
}

/** Provisioning reported the vendor refused (SubscriptionCancellationRefused). Idempotent. */
export interface RecordVendorRefusal {
  type: 'RecordVendorRefusal';
  subscriptionId: string;
  reason: string;
}

/** 解約確定 */
export interface ConfirmCancellation {
  type: 'ConfirmCancellation';
  /** 契約終了日. */
  endDate: string;
  /** Confirm although a vendor has not confirmed yet (the second, deliberate attempt). */
  force?: boolean;
  /** The business date (解約日). */
  confirmedOn: string;
}

/** Confirms an ADD / CHANGE. */
export interface ConfirmQuantityChange {
  type: 'ConfirmQuantityChange';
  /** Default: confirmedOn. */
  effectiveOn?: string;
  force?: boolean;
  confirmedOn: string;
}

/** Confirms a renewal change (更新): its quantities wait on the contract for the line's next term. */
export interface ConfirmRenewal {
  type: 'ConfirmRenewal';
  confirmedOn: string;
}

/** POST /contract-changes/:id/confirm: the confirmation of the change's own type. */
export interface Confirm {
  type: 'Confirm';
  /** CANCELLATION: 契約終了日 (required). */
  endDate?: string;
  /** ADD / CHANGE: default confirmedOn. */
  effectiveOn?: string;
  force?: boolean;
  confirmedOn: string;
}

/** キャンセル */
export interface Withdraw {
  type: 'Withdraw';
  withdrawnOn: string;
}

export type ContractChangeCommand =
  | RequestChange
  | Accept
  | RevokeAcceptance
  | Link
  | RecordVendorConfirmation
  | RecordVendorRefusal
  | ConfirmCancellation
  | ConfirmQuantityChange
  | ConfirmRenewal
  | Confirm
  | Withdraw;

/** The RequestChange that creates the change stream from the contract's ContractChangeOpened. */
export function requestChangeFrom(opened: ContractChangeOpened): RequestChange {
  const { changeId, type, subject, requestedOn, lines, contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = opened.data;
  return {
    type: 'RequestChange',
    changeId,
    changeType: type,
    contract: { contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
    subject,
    requestedOn,
    lines: lines.map((line) => ({ ...line })),
  };
}
