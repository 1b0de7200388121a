import {
  CancellationConfirmed,
  CancellationLinked,
  ChangeLineIdentity,
  ContractChangeAccepted,
  ContractChangeLine,
  ContractChangeReference,
  ContractChangeRequested,
  ContractChangeType,
  ContractChangeWithdrawn,
  ContractReference,
  QuantityChanged,
  QuantityChangeLinked,
  RenewalScheduled,
} from '@lp/integration-events';
import { conflict, Decider, DomainEvent, FieldError, invalid, ruleViolation } from '@lp/eventsourcing';
import type { ContractChangeOpened } from './contract';
import { refuseUnknownLines } from './unknown-lines';

/**
 * 契約変更: one `contractChange-<changeId>` stream per change. The change is opened (and its lines
 * locked) on the contract stream first (ContractChangeOpened, see contract.ts); the application then
 * creates this stream with RequestChange (requestChangeFrom). Its outcome goes back to the contract
 * as ApplyCancellation / ApplyQuantityChange / CloseChange.
 *
 *   APPLIED 申請 ──Accept──▶ ACCEPTED 受付済 ──Link (解約連携)──▶ vendor ──Confirm…──▶ COMPLETED 変更済
 *       ▲                       │
 *       └──RevokeAcceptance─────┘  (refused once a line is linked)
 *   APPLIED / ACCEPTED ──Withdraw──▶ WITHDRAWN キャンセル (refused once the vendor may act on a line)
 */

// ---------------------------------------------------------------------------------------------
// Statuses and labels
// ---------------------------------------------------------------------------------------------

export type ContractChangeStatus = 'APPLIED' | 'ACCEPTED' | 'COMPLETED' | 'WITHDRAWN';
export type LinkStatus = 'NOT_LINKED' | 'LINKED';
/** What the vendor said about a linked line: provisioning's SubscriptionCancelled / …Refused / SubscriptionQuantityChanged. */
export type VendorStatus = 'PENDING' | 'CONFIRMED' | 'REFUSED';
export type { ContractChangeType } from '@lp/integration-events';

export const CONTRACT_CHANGE_STATUS_LABELS: Record<ContractChangeStatus, string> = {
  APPLIED: '申請',
  ACCEPTED: '受付済',
  COMPLETED: '変更済',
  WITHDRAWN: 'キャンセル',
};
export const CONTRACT_CHANGE_TYPE_LABELS: Record<ContractChangeType, string> = {
  ADD: '追加',
  CHANGE: '数量・商品変更',
  RENEWAL: '更新',
  CANCELLATION: '解約',
};
export const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  NOT_LINKED: '未連携',
  LINKED: '連携済',
};

export const ALREADY_LINKED_MESSAGE = '発注済みの為、受付取消はできません';
export const SUPPLIER_NOT_CONFIRMED_MESSAGE = '仕入元で解約処理が確定されていません';

export const changeStreamId = (changeId: string) => `contractChange-${changeId}`;

// ---------------------------------------------------------------------------------------------
// Events (the published ones are in @lp/integration-events)
// ---------------------------------------------------------------------------------------------

/** 受付取消: back to APPLIED. Not published. */
export type ContractChangeAcceptanceRevoked = DomainEvent<'ContractChangeAcceptanceRevoked', { changeId: string; revokedOn: string }>;
/** The vendor confirmed a linked line (provisioning's SubscriptionCancelled / SubscriptionQuantityChanged). Not published. */
export type VendorConfirmationRecorded = DomainEvent<
  'VendorConfirmationRecorded',
  { changeId: string; lineId: string; subscriptionId: string; confirmedOn: string }
>;
/** The vendor refused a linked line (e.g. software outside its refund window). Not published. */
export type VendorRefusalRecorded = DomainEvent<'VendorRefusalRecorded', { changeId: string; lineId: string; subscriptionId: string; reason: string }>;

export type ContractChangeEvent =
  | ContractChangeRequested
  | ContractChangeAccepted
  | ContractChangeAcceptanceRevoked
  | CancellationLinked
  | QuantityChangeLinked
  | VendorConfirmationRecorded
  | VendorRefusalRecorded
  | CancellationConfirmed
  | QuantityChanged
  | RenewalScheduled
  | ContractChangeWithdrawn;

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

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
  /** 契約終了日 (required). */
  endDate?: string;
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

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface ContractChangeLineState extends ContractChangeLine {
  linkStatus: LinkStatus;
  linkedOn?: string;
  vendorStatus: VendorStatus;
  vendorConfirmedOn?: string;
  vendorReason?: string;
}

export type ContractChangeState =
  | { status: 'NONE' }
  | {
      status: ContractChangeStatus;
      changeId: string;
      type: ContractChangeType;
      contract: ContractReference;
      subject: string;
      requestedOn: string;
      acceptedOn?: string;
      /** 契約終了日 of a confirmed cancellation. */
      endDate?: string;
      /** When a quantity change took effect. */
      effectiveOn?: string;
      completedOn?: string;
      withdrawnOn?: string;
      forced?: boolean;
      lines: ContractChangeLineState[];
    };
export type ExistingContractChange = Exclude<ContractChangeState, { status: 'NONE' }>;

// ---------------------------------------------------------------------------------------------
// Helpers for the application
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
const duplicates = (ids: readonly string[]) => [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
const CHANGE_TYPES: readonly string[] = ['CANCELLATION', 'ADD', 'CHANGE', 'RENEWAL'];

function existing(state: ContractChangeState): ExistingContractChange {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract change does not exist');
  return state;
}

function referenceOf(state: ExistingContractChange): ContractChangeReference {
  return { ...state.contract, changeId: state.changeId, type: state.type };
}

function inState(state: ExistingContractChange, allowed: readonly ContractChangeStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw conflict(
      'INVALID_STATE',
      `Cannot ${action} a change in ${state.status} (${CONTRACT_CHANGE_STATUS_LABELS[state.status]}); allowed in ${allowed.join(', ')}`,
    );
  }
}

function requestChange(command: RequestChange, state: ContractChangeState): ContractChangeEvent[] {
  if (state.status !== 'NONE') {
    if (state.changeId === command.changeId) return [];
    throw conflict('ALREADY_EXISTS', `The stream already holds change ${state.changeId}`);
  }
  const errors: FieldError[] = [];
  if (!CHANGE_TYPES.includes(command.changeType)) errors.push({ path: 'type', message: 'must be CANCELLATION, ADD, CHANGE or RENEWAL' });
  if (!isDate(command.requestedOn)) errors.push({ path: 'requestedOn', message: 'must be a date (YYYY-MM-DD)' });
  if (command.lines.length === 0) errors.push({ path: 'lines', message: 'at least one line is required' });
  for (const id of duplicates(command.lines.map((line) => line.lineId))) errors.push({ path: 'lines', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);
  return [
    {
      type: 'ContractChangeRequested',
      data: {
        ...command.contract,
        changeId: command.changeId,
        type: command.changeType,
        subject: command.subject,
        requestedOn: command.requestedOn,
        lines: command.lines.map((line) => ({ ...line })),
      },
    },
  ];
}

function accept(command: Accept, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  inState(change, ['APPLIED'], 'accept');
  return [{ type: 'ContractChangeAccepted', data: { ...referenceOf(change), acceptedOn: command.acceptedOn } }];
}

function revokeAcceptance(command: RevokeAcceptance, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  if (change.lines.some((line) => line.linkStatus === 'LINKED')) throw conflict('ALREADY_LINKED', ALREADY_LINKED_MESSAGE);
  inState(change, ['ACCEPTED'], 'revoke the acceptance of');
  return [{ type: 'ContractChangeAcceptanceRevoked', data: { changeId: change.changeId, revokedOn: command.revokedOn } }];
}

function link(command: Link, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  if (change.type === 'RENEWAL') {
    throw conflict('NO_VENDOR_LINK', 'A renewal change (更新) has nothing to link: the vendor subscription renews at the term end; confirm it');
  }
  const kind = change.type === 'CANCELLATION' ? 'CANCELLATION' : 'QUANTITY_CHANGE';
  if (command.kind && command.kind !== kind) {
    throw conflict('INVALID_STATE', `Change ${change.changeId} is a ${change.type} (${CONTRACT_CHANGE_TYPE_LABELS[change.type]}): link it as a ${kind.toLowerCase().replace('_', ' ')}`);
  }
  inState(change, ['ACCEPTED'], 'link');
  const errors: FieldError[] = [];
  for (const id of duplicates(command.lineIds ?? [])) errors.push({ path: 'lineIds', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);
  refuseUnknownLines(command.lineIds ?? [], change.lines, 'change');

  const chosen = command.lineIds?.length
    ? change.lines.filter((line) => command.lineIds!.includes(line.lineId))
    : change.lines.filter((line) => line.linkStatus === 'NOT_LINKED');
  if (chosen.length === 0) throw conflict('ALREADY_LINKED', 'Every line of this change is linked already');
  const linked = chosen.filter((line) => line.linkStatus === 'LINKED');
  if (linked.length) throw conflict('ALREADY_LINKED', `Lines already linked: ${linked.map((line) => line.lineId).join(', ')}`);

  const common = { ...referenceOf(change), requestedOn: change.requestedOn, linkedOn: command.linkedOn };
  if (change.type === 'CANCELLATION') {
    return [
      {
        type: 'CancellationLinked',
        data: {
          ...common,
          type: 'CANCELLATION',
          lines: chosen.map((line) => ({
            ...base(line),
            currentQuantity: line.currentQuantity,
            quantity: line.quantity,
            remainingQuantity: line.newQuantity,
          })),
        },
      },
    ];
  }
  if (change.type === 'ADD' || change.type === 'CHANGE') {
    return [
      {
        type: 'QuantityChangeLinked',
        data: {
          ...common,
          type: change.type,
          lines: chosen.map((line) => ({ ...base(line), previousQuantity: line.currentQuantity, newQuantity: line.newQuantity, ...newProductOf(line) })),
        },
      },
    ];
  }
  throw conflict('INVALID_STATE', `A ${change.type} change has no vendor link`);
}

/** Which line an outgoing event speaks of: the contract line, its order line, product and subscription. */
const base = (line: ContractChangeLineState): ChangeLineIdentity => ({
  lineId: line.lineId,
  orderLineId: line.orderLineId,
  sku: line.sku,
  productName: line.productName,
  subscriptionId: line.subscriptionId,
});

/** A product change's line: the product it moves to (nothing for a plain add or reduction). */
const newProductOf = (line: ContractChangeLineState) =>
  line.newSku ? { newSku: line.newSku, newProductName: line.newProductName, newUnitPrice: line.newUnitPrice } : {};

/** The linked line of the change for a subscription provisioning reports on. */
function linkedLineOf(change: ExistingContractChange, subscriptionId: string): ContractChangeLineState {
  const line = change.lines.find((candidate) => candidate.subscriptionId === subscriptionId);
  if (!line) throw conflict('INVALID_STATE', `Subscription ${subscriptionId} is not part of change ${change.changeId}`);
  if (line.linkStatus !== 'LINKED') throw conflict('NOT_LINKED', `Line ${line.lineId} (subscription ${subscriptionId}) was never linked`);
  return line;
}

function recordVendorConfirmation(command: RecordVendorConfirmation, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  const line = linkedLineOf(change, command.subscriptionId);
  // A redelivery is a no-op; a confirmation after a refusal wins (the vendor did it after all).
  if (line.vendorStatus === 'CONFIRMED') return [];
  return [
    {
      type: 'VendorConfirmationRecorded',
      data: { changeId: change.changeId, lineId: line.lineId, subscriptionId: line.subscriptionId, confirmedOn: command.confirmedOn },
    },
  ];
}

function recordVendorRefusal(command: RecordVendorRefusal, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  const line = linkedLineOf(change, command.subscriptionId);
  // A redelivery is a no-op; a refusal never undoes a confirmation.
  if (line.vendorStatus !== 'PENDING') return [];
  return [
    {
      type: 'VendorRefusalRecorded',
      data: { changeId: change.changeId, lineId: line.lineId, subscriptionId: line.subscriptionId, reason: command.reason },
    },
  ];
}

/**
 * What confirming needs, whatever the type: every line linked (409 NOT_LINKED), no line refused by
 * its vendor (422 VENDOR_REFUSED, force or not), and every vendor confirmed unless forced
 * (409 SUPPLIER_NOT_CONFIRMED). Answers whether force was needed.
 */
function assertConfirmable(change: ExistingContractChange, force: boolean | undefined): boolean {
  const notLinked = change.lines.filter((line) => line.linkStatus !== 'LINKED');
  if (notLinked.length) {
    throw conflict('NOT_LINKED', `Lines not linked to the vendor yet (解約連携): ${notLinked.map((line) => line.lineId).join(', ')}`);
  }
  const refused = change.lines.filter((line) => line.vendorStatus === 'REFUSED');
  if (refused.length) {
    throw ruleViolation('VENDOR_REFUSED', `The vendor refused: ${refused.map((line) => `${line.lineId} (${line.vendorReason})`).join(', ')}`);
  }
  const unconfirmed = change.lines.filter((line) => line.vendorStatus !== 'CONFIRMED');
  if (unconfirmed.length && force !== true) {
    throw conflict('SUPPLIER_NOT_CONFIRMED', SUPPLIER_NOT_CONFIRMED_MESSAGE);
  }
  return unconfirmed.length > 0;
}

function confirmCancellation(command: ConfirmCancellation, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  if (change.type !== 'CANCELLATION') throw conflict('INVALID_STATE', `A ${change.type} change is confirmed as a quantity change`);
  inState(change, ['ACCEPTED'], 'confirm');
  const errors: FieldError[] = [];
  if (command.endDate === undefined || command.endDate === null || command.endDate === '') errors.push({ path: 'endDate', message: 'is required (契約終了日)' });
  else if (!isDate(command.endDate)) errors.push({ path: 'endDate', message: 'must be a date (YYYY-MM-DD)' });
  if (command.force !== undefined && typeof command.force !== 'boolean') errors.push({ path: 'force', message: 'must be true or false' });
  if (errors.length) throw invalid(errors);
  const forced = assertConfirmable(change, command.force);
  return [
    {
      type: 'CancellationConfirmed',
      data: {
        ...referenceOf(change),
        type: 'CANCELLATION',
        requestedOn: change.requestedOn,
        endDate: command.endDate!,
        cancelledOn: command.confirmedOn,
        forced,
        lines: change.lines.map((line) => ({ ...base(line), cancelledQuantity: line.quantity, remainingQuantity: line.newQuantity })),
      },
    },
  ];
}

function confirmQuantityChange(command: ConfirmQuantityChange, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  if (change.type !== 'ADD' && change.type !== 'CHANGE') throw conflict('INVALID_STATE', `A ${change.type} change is not a quantity change`);
  inState(change, ['ACCEPTED'], 'confirm');
  const errors: FieldError[] = [];
  if (command.effectiveOn !== undefined && !isDate(command.effectiveOn)) errors.push({ path: 'effectiveOn', message: 'must be a date (YYYY-MM-DD)' });
  if (command.force !== undefined && typeof command.force !== 'boolean') errors.push({ path: 'force', message: 'must be true or false' });
  if (errors.length) throw invalid(errors);
  const forced = assertConfirmable(change, command.force);
  return [
    {
      type: 'QuantityChanged',
      data: {
        ...referenceOf(change),
        type: change.type,
        requestedOn: change.requestedOn,
        effectiveOn: command.effectiveOn ?? command.confirmedOn,
        confirmedOn: command.confirmedOn,
        forced,
        lines: change.lines.map((line) => ({ ...base(line), previousQuantity: line.currentQuantity, newQuantity: line.newQuantity, ...newProductOf(line) })),
      },
    },
  ];
}

function confirmRenewal(command: ConfirmRenewal, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  if (change.type !== 'RENEWAL') throw conflict('INVALID_STATE', `A ${change.type} change is not a renewal`);
  inState(change, ['ACCEPTED'], 'confirm');
  return [
    {
      type: 'RenewalScheduled',
      data: {
        ...referenceOf(change),
        type: 'RENEWAL',
        requestedOn: change.requestedOn,
        confirmedOn: command.confirmedOn,
        lines: change.lines.map((line) => ({ ...base(line), currentQuantity: line.currentQuantity, newQuantity: line.newQuantity })),
      },
    },
  ];
}

/** The generic 確定: whatever the change's type, with the same rules (and force) as the typed confirmations. */
function confirm(command: Confirm, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  const { endDate, effectiveOn, force, confirmedOn } = command;
  const misplaced: FieldError[] = [];
  if (change.type !== 'CANCELLATION' && endDate !== undefined) misplaced.push({ path: 'endDate', message: `is for cancellations; this change is a ${change.type}` });
  if (change.type !== 'ADD' && change.type !== 'CHANGE' && effectiveOn !== undefined) {
    misplaced.push({ path: 'effectiveOn', message: `is for quantity changes; this change is a ${change.type}` });
  }
  if (misplaced.length) throw ruleViolation('FIELD_NOT_FOR_CHANGE_TYPE', misplaced.map((error) => `${error.path} ${error.message}`).join('; '));
  switch (change.type) {
    case 'CANCELLATION':
      // The body's schema cannot require it for one type only: a rule here, not a malformed request.
      if (endDate === undefined) throw ruleViolation('END_DATE_REQUIRED', 'A cancellation is confirmed with its end date (契約終了日): endDate');
      return confirmCancellation({ type: 'ConfirmCancellation', endDate, force, confirmedOn }, state);
    case 'ADD':
    case 'CHANGE':
      return confirmQuantityChange({ type: 'ConfirmQuantityChange', effectiveOn, force, confirmedOn }, state);
    case 'RENEWAL':
      return confirmRenewal({ type: 'ConfirmRenewal', confirmedOn }, state);
  }
}

function withdraw(command: Withdraw, state: ContractChangeState): ContractChangeEvent[] {
  const change = existing(state);
  inState(change, ['APPLIED', 'ACCEPTED'], 'withdraw');
  // Once the vendor may act (or has acted) on a line, withdrawing would leave it and the contract apart.
  // A line the vendor refused is back where it was, so it does not stand in the way.
  const atVendor = change.lines.filter((line) => line.linkStatus === 'LINKED' && line.vendorStatus !== 'REFUSED');
  if (atVendor.length) {
    throw conflict('ALREADY_LINKED', `Lines already linked to the vendor: ${atVendor.map((line) => line.lineId).join(', ')}`);
  }
  return [{ type: 'ContractChangeWithdrawn', data: { ...referenceOf(change), withdrawnOn: command.withdrawnOn } }];
}

// ---------------------------------------------------------------------------------------------

function withLines(
  state: ContractChangeState,
  lineIds: readonly string[],
  update: (line: ContractChangeLineState) => ContractChangeLineState,
): ContractChangeState {
  if (state.status === 'NONE') return state;
  return { ...state, lines: state.lines.map((line) => (lineIds.includes(line.lineId) ? update(line) : line)) };
}

export const contractChangeDecider: Decider<ContractChangeCommand, ContractChangeEvent, ContractChangeState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'RequestChange':
        return requestChange(command, state);
      case 'Accept':
        return accept(command, state);
      case 'RevokeAcceptance':
        return revokeAcceptance(command, state);
      case 'Link':
        return link(command, state);
      case 'RecordVendorConfirmation':
        return recordVendorConfirmation(command, state);
      case 'RecordVendorRefusal':
        return recordVendorRefusal(command, state);
      case 'ConfirmCancellation':
        return confirmCancellation(command, state);
      case 'ConfirmQuantityChange':
        return confirmQuantityChange(command, state);
      case 'ConfirmRenewal':
        return confirmRenewal(command, state);
      case 'Confirm':
        return confirm(command, state);
      case 'Withdraw':
        return withdraw(command, state);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ContractChangeRequested': {
        const { changeId, type, subject, requestedOn, lines, contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = event.data;
        return {
          status: 'APPLIED',
          changeId,
          type,
          contract: { contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
          subject,
          requestedOn,
          lines: lines.map((line) => ({ ...line, linkStatus: 'NOT_LINKED', vendorStatus: 'PENDING' })),
        };
      }
      case 'ContractChangeAccepted':
        return state.status === 'NONE' ? state : { ...state, status: 'ACCEPTED', acceptedOn: event.data.acceptedOn };
      case 'ContractChangeAcceptanceRevoked': {
        if (state.status === 'NONE') return state;
        const { acceptedOn: _accepted, ...rest } = state;
        return { ...rest, status: 'APPLIED' };
      }
      case 'CancellationLinked':
      case 'QuantityChangeLinked':
        return withLines(
          state,
          event.data.lines.map((line) => line.lineId),
          (line) => ({ ...line, linkStatus: 'LINKED', linkedOn: event.data.linkedOn }),
        );
      case 'VendorConfirmationRecorded':
        return withLines(state, [event.data.lineId], ({ vendorReason: _reason, ...line }) => ({
          ...line,
          vendorStatus: 'CONFIRMED',
          vendorConfirmedOn: event.data.confirmedOn,
        }));
      case 'VendorRefusalRecorded':
        return withLines(state, [event.data.lineId], (line) => ({ ...line, vendorStatus: 'REFUSED', vendorReason: event.data.reason }));
      case 'CancellationConfirmed':
        return state.status === 'NONE'
          ? state
          : { ...state, status: 'COMPLETED', endDate: event.data.endDate, completedOn: event.data.cancelledOn, forced: event.data.forced };
      case 'QuantityChanged':
        return state.status === 'NONE'
          ? state
          : { ...state, status: 'COMPLETED', effectiveOn: event.data.effectiveOn, completedOn: event.data.confirmedOn, forced: event.data.forced };
      case 'RenewalScheduled':
        return state.status === 'NONE' ? state : { ...state, status: 'COMPLETED', completedOn: event.data.confirmedOn };
      case 'ContractChangeWithdrawn':
        return state.status === 'NONE' ? state : { ...state, status: 'WITHDRAWN', withdrawnOn: event.data.withdrawnOn };
      default:
        return state;
    }
  },
};
