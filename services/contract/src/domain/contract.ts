import {
  ContractChangeLine,
  ContractConfirmed,
  ContractCreated,
  ContractLineTerms,
  ContractReference as PublishedContractReference,
  firstTermStart,
  termDurationOf,
  termEndOf,
} from '@lp/integration-events';
import { conflict, Decider, DomainEvent, FieldError, invalid, ruleViolation } from '@lp/eventsourcing';
import {
  applyRenewalChange,
  ApplyRenewalChange,
  ContractTermEvent,
  evolveTerms,
  renewTerms,
  RenewTerms,
  setAutoRenew,
  SetAutoRenew,
} from './contract-terms';
import { isNewCommerce, refuseClosedWindows, SeatWindow, windowFrom } from './nce-windows';
import { productChangeTarget } from './product-change';
import { refuseUnknownLines } from './unknown-lines';

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** PENDING 新規契約手続中 → ACTIVE 契約中 → CANCELLED 解約済 (CANCELLED: issue 5, cancellations). */
export type ContractStatus = 'PENDING' | 'ACTIVE' | 'CANCELLED';
export type ContractLineStatus = 'PENDING' | 'ACTIVE' | 'CANCELLED';

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  PENDING: '新規契約手続中',
  ACTIVE: '契約中',
  CANCELLED: '解約済',
};
export const CONTRACT_LINE_STATUS_LABELS: Record<ContractLineStatus, string> = {
  PENDING: '新規契約手続中',
  ACTIVE: '契約中',
  CANCELLED: '解約済',
};

// ---------------------------------------------------------------------------------------------
// What the contract service knows of other services (its local projections of their events)
// ---------------------------------------------------------------------------------------------

/** A placed order line as the contract service learned it from OrderPlaced (and its subscription, once known). */
export type KnownPlacedLine = Omit<ContractLineTerms, 'lineId'>;

/** An order as the contract service knows it: the order reference and every line placed so far. */
export interface KnownOrder {
  orderId: string;
  orderNumber: string;
  resellerId: string;
  customerId: string;
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
  placedLines: KnownPlacedLine[];
}

/** A subscription as the contract service knows it from provisioning's events (one per order line). */
export interface KnownSubscription {
  subscriptionId: string;
  orderLineId: string;
  /** Provisioning's status; only `ACTIVE` lets a line be confirmed. */
  status: string;
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export type { ConfirmedLine, ContractLineTerms } from '@lp/integration-events';
export type ContractCreatedData = ContractCreated['data'];
export type ContractConfirmedData = ContractConfirmed['data'];
type ContractReference = PublishedContractReference;

/** The change types OpenChange handles. */
export type OpenChangeType = 'CANCELLATION' | 'ADD' | 'CHANGE' | 'RENEWAL';

/**
 * A change (契約変更) opened on the contract: its lines are locked until the change is applied or
 * closed, so that two changes can never race for a line. Internal to this service: the application
 * creates the `contractChange-<changeId>` stream from it (see contract-change.ts), which publishes.
 */
export type ContractChangeOpened = DomainEvent<
  'ContractChangeOpened',
  ContractReference & {
    changeId: string;
    type: OpenChangeType;
    subject: string;
    requestedOn: string;
    /** Select all (全選択): every active line at its full quantity. */
    all: boolean;
    lines: ContractChangeLine[];
  }
>;

export interface CancelledLineOutcome {
  lineId: string;
  cancelledQuantity: number;
  /** 0 for a line cancelled in full. */
  remainingQuantity: number;
  /** CANCELLED (fully cancelled) or ACTIVE (reduced). */
  status: ContractLineStatus;
}

/** A confirmed cancellation applied: fully cancelled lines end, reduced lines run on; the lock is released. */
export type ContractLinesCancelled = DomainEvent<
  'ContractLinesCancelled',
  {
    contractId: string;
    changeId: string;
    endDate: string;
    cancelledOn: string;
    lines: CancelledLineOutcome[];
    /** The contract's status afterwards (CANCELLED once no line is active). */
    contractStatus: ContractStatus;
  }
>;

/** A confirmed add / reduction applied; the lock is released. */
export type ContractLineQuantitiesChanged = DomainEvent<
  'ContractLineQuantitiesChanged',
  {
    contractId: string;
    changeId: string;
    effectiveOn: string;
    lines: { lineId: string; previousQuantity: number; newQuantity: number; newSku?: string; newProductName?: string; newUnitPrice?: number }[];
  }
>;

/** The change was withdrawn: its lines are eligible again. */
export type ContractChangeClosed = DomainEvent<'ContractChangeClosed', { contractId: string; changeId: string; lineIds: string[] }>;

export type ContractChangeOutcomeEvent = ContractChangeOpened | ContractLinesCancelled | ContractLineQuantitiesChanged | ContractChangeClosed;
export type ContractEvent = ContractCreated | ContractConfirmed | ContractChangeOutcomeEvent | ContractTermEvent;

// ---------------------------------------------------------------------------------------------
// Commands and state
// ---------------------------------------------------------------------------------------------

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
  /** Order line ids already in another contract (see line-reservations.ts). */
  contractedLineIds: string[];
  subject?: string;
  subjectForForms?: string;
  contractDate?: string;
  paymentMethod?: string;
  storeNotes?: string;
}

export interface ConfirmLines {
  type: 'ConfirmLines';
  /** Contract line ids; default: every PENDING line. */
  lineIds?: string[];
  /** Default: confirmedOn. */
  startDate?: string;
  /** The business date of the confirmation (today in Tokyo). */
  confirmedOn: string;
  /** The subscriptions of the contract's order lines, as provisioning's events told them. */
  subscriptions: KnownSubscription[];
}

/**
 * 解約手続き (POST /contracts/:id/cancellations) or a quantity change (POST /contracts/:id/quantity-changes,
 * type from quantityChangeType). Decided on the contract stream, so eligibility and the line lock are atomic.
 */
export interface OpenChange {
  type: 'OpenChange';
  changeId: string;
  /** QUANTITY_CHANGE: ADD or CHANGE, whichever the new quantities ask for (quantityChangeType); PRODUCT_CHANGE: a CHANGE to another product. */
  changeType: OpenChangeType | 'QUANTITY_CHANGE' | 'PRODUCT_CHANGE';
  /** CANCELLATION: seats to cancel per line; ADD / CHANGE / QUANTITY_CHANGE: the new quantity per line; RENEWAL: the next term's (default: unchanged). */
  lines?: { lineId: string; quantity?: number; sku?: string }[];
  /** CANCELLATION only: 全選択, every active line at its full quantity. */
  all?: boolean;
  /** Default: today. */
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
  lines: { lineId: string; newQuantity: number; newSku?: string; newProductName?: string; newUnitPrice?: number }[];
  effectiveOn: string;
}

/** From the change's ContractChangeWithdrawn: releases its lines; a no-op once applied or closed. */
export interface CloseChange {
  type: 'CloseChange';
  changeId: string;
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

export interface ContractLineState extends ContractLineTerms {
  status: ContractLineStatus;
  startDate?: string;
  /** Set by cancellations (issue 5). */
  endDate?: string;
  cancelledOn?: string;
  /** The open change that holds this line (no other change may take it meanwhile). */
  openChangeId?: string;
  /** A line with a term (termDuration): its current term, and whether it renews at its end. */
  termStartDate?: string;
  termEndDate?: string;
  autoRenew?: boolean;
  /** When auto-renew was last switched (default: the confirmation date). */
  autoRenewChangedOn?: string;
  /** A confirmed renewal change (更新): the quantity of the next term. */
  scheduledRenewal?: { changeId: string; quantity: number };
  /** New-commerce lines: the cancellation window of the seats bought at the start and of each added batch. */
  seatWindows?: SeatWindow[];
}

/** A change as the contract remembers it: which lines it locked, and whether it is over (for redeliveries). */
export interface ChangeOnContract {
  changeId: string;
  type: OpenChangeType;
  status: 'OPEN' | 'APPLIED' | 'CLOSED';
  lineIds: string[];
}

export type ContractState =
  | { status: 'NONE' }
  | (ContractReference & {
      status: ContractStatus;
      purchaseOrderNumber?: string;
      endUserOrderNumber?: string;
      subject: string;
      contractDate: string;
      lines: ContractLineState[];
      changes: ChangeOnContract[];
    });
export type ExistingContract = Exclude<ContractState, { status: 'NONE' }>;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return DATE.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
const blank = (value: string | undefined) => !value?.trim();
const optional = <K extends string>(key: K, value: string | undefined) =>
  (value?.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;

/** The list's 契約一覧 `billing` flag: a contract is charged while any of its lines is ACTIVE. */
export function isBilling(lines: readonly Pick<ContractLineState, 'status'>[]): boolean {
  return lines.some((line) => line.status === 'ACTIVE');
}

/** Billing's charging period of a line (its schedule, one per product the line had). */
export interface ChargingPeriod {
  chargingFrom: string;
  chargingUntil: string | null;
}

/**
 * 契約一覧's `billing` flag as billing's schedule has it: charged on `today` when a period of any line
 * covers it. A line billing has not scheduled yet (its confirmation is on its way there) counts as
 * charged while ACTIVE, so the flag does not flicker between confirmation and billing's answer.
 */
export function isChargedOn(today: string, lines: readonly { status: ContractLineStatus; periods: readonly ChargingPeriod[] }[]): boolean {
  return lines.some((line) =>
    line.periods.length === 0
      ? line.status === 'ACTIVE'
      : line.periods.some((period) => period.chargingFrom <= today && (period.chargingUntil === null || today <= period.chargingUntil)),
  );
}

/** The contract is ACTIVE once any line is; CANCELLED when lines were active and none remains (issue 5). */
export function contractStatusOf(lines: readonly Pick<ContractLineState, 'status'>[]): ContractStatus {
  if (lines.some((line) => line.status === 'ACTIVE')) return 'ACTIVE';
  if (lines.length > 0 && lines.every((line) => line.status === 'CANCELLED')) return 'CANCELLED';
  return 'PENDING';
}

export function duplicates(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
}

function createContract(command: CreateContract, state: ContractState): ContractEvent[] {
  if (state.status !== 'NONE') throw conflict('ALREADY_EXISTS', 'The contract already exists');
  const errors: FieldError[] = [];
  if (blank(command.subject)) errors.push({ path: 'subject', message: 'is required' });
  if (blank(command.subjectForForms)) errors.push({ path: 'subjectForForms', message: 'is required' });
  if (blank(command.contractDate)) errors.push({ path: 'contractDate', message: 'is required' });
  else if (!isDate(command.contractDate!.trim())) errors.push({ path: 'contractDate', message: 'must be a date (YYYY-MM-DD)' });
  if (command.lineIds.length === 0) errors.push({ path: 'lineIds', message: 'at least one line is required' });
  for (const id of duplicates(command.lineIds)) errors.push({ path: 'lineIds', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);

  const { order } = command;
  const placed = new Map(order.placedLines.map((line) => [line.orderLineId, line]));
  const notPlaced = command.lineIds.filter((id) => !placed.has(id));
  if (notPlaced.length) {
    throw ruleViolation('LINE_NOT_PLACED', `Lines not placed in order ${order.orderNumber}: ${notPlaced.join(', ')}`);
  }
  const taken = command.lineIds.filter((id) => command.contractedLineIds.includes(id));
  if (taken.length) {
    throw ruleViolation('LINE_ALREADY_CONTRACTED', `Lines already in another contract: ${taken.join(', ')}`);
  }

  const lines = command.lineIds.map((id): ContractLineTerms => {
    const { orderLineId, refundWindowDays, subscriptionId, termDuration: _duration, ...terms } = placed.get(id)!;
    const termDuration = termDurationOf(placed.get(id)!);
    return {
      lineId: orderLineId,
      orderLineId,
      ...terms,
      ...(termDuration ? { termDuration } : {}),
      ...(refundWindowDays !== undefined ? { refundWindowDays } : {}),
      ...(subscriptionId ? { subscriptionId } : {}),
    };
  });
  return [
    {
      type: 'ContractCreated',
      data: {
        contractId: command.contractId,
        contractNumber: command.contractNumber.trim(),
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        resellerId: order.resellerId,
        customerId: order.customerId,
        ...optional('purchaseOrderNumber', order.purchaseOrderNumber),
        ...optional('endUserOrderNumber', order.endUserOrderNumber),
        subject: command.subject!.trim(),
        subjectForForms: command.subjectForForms!.trim(),
        contractDate: command.contractDate!.trim(),
        ...optional('paymentMethod', command.paymentMethod),
        ...optional('storeNotes', command.storeNotes),
        lines,
      },
    },
  ];
}

function confirmLines(command: ConfirmLines, state: ContractState): ContractEvent[] {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract does not exist');
  const contract: ExistingContract = state;
  if (contract.status === 'CANCELLED') throw conflict('INVALID_STATE', 'Cannot confirm lines of a cancelled contract');

  const errors: FieldError[] = [];
  for (const id of duplicates(command.lineIds ?? [])) errors.push({ path: 'lineIds', message: `line ${id} is listed more than once` });
  if (command.startDate !== undefined && !isDate(command.startDate)) errors.push({ path: 'startDate', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw invalid(errors);
  refuseUnknownLines(command.lineIds ?? [], contract.lines, 'contract');

  const chosen = command.lineIds?.length
    ? contract.lines.filter((line) => command.lineIds!.includes(line.lineId))
    : contract.lines.filter((line) => line.status === 'PENDING');
  if (chosen.length === 0) throw conflict('INVALID_STATE', 'No line of this contract is waiting for confirmation');
  const notPending = chosen.filter((line) => line.status !== 'PENDING');
  if (notPending.length) {
    throw conflict('LINE_NOT_PENDING', `Lines already confirmed or cancelled: ${notPending.map((line) => line.lineId).join(', ')}`);
  }

  const subscriptionOf = (line: ContractLineState) =>
    command.subscriptions.find((subscription) => subscription.orderLineId === line.orderLineId);
  const waiting = chosen.filter((line) => subscriptionOf(line)?.status !== 'ACTIVE');
  if (waiting.length) {
    const detail = waiting.map((line) => `${line.lineId} (${subscriptionOf(line)?.status ?? 'no subscription yet'})`).join(', ');
    throw conflict('PROVISIONING_NOT_COMPLETE', `The subscriptions of these lines are not ACTIVE yet: ${detail}`);
  }

  const startDate = command.startDate ?? command.confirmedOn;
  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId, purchaseOrderNumber, endUserOrderNumber } = contract;
  return [
    {
      type: 'ContractConfirmed',
      data: {
        ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
        ...optional('purchaseOrderNumber', purchaseOrderNumber),
        ...optional('endUserOrderNumber', endUserOrderNumber),
        confirmedOn: command.confirmedOn,
        lines: chosen.map((line) => {
          const { status: _status, startDate: _start, endDate: _end, cancelledOn: _cancelled, openChangeId: _change, ...terms } = line;
          const confirmed = {
            ...terms,
            subscriptionId: subscriptionOf(line)!.subscriptionId,
            startDate,
            ...(isNewCommerce(line) ? { cancellationAllowedUntil: windowFrom(startDate, line.quantity).until } : {}),
          };
          if (!line.termDuration) return confirmed;
          const termStartDate = firstTermStart(confirmed);
          return { ...confirmed, termStartDate, termEndDate: termEndOf(termStartDate, line.termDuration), autoRenew: true };
        }),
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Contract changes (契約変更): eligibility and the per-line lock (issue 5)
// ---------------------------------------------------------------------------------------------

export const TRIAL_IN_BULK_CANCELLATION_MESSAGE = 'トライアル商品は一括解約できません';

const isWholeNumber = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * Which quantity change the new quantities ask for (POST /contracts/:id/quantity-changes sends the
 * NEW quantity per line): ADD 追加 when every one is above the current quantity, CHANGE 数量・商品変更
 * (a reduction) when every one is below. Mixed → 400. Unknown lines and malformed or unchanged
 * quantities are left to OpenChange, which names them.
 */
export function quantityChangeType(state: ContractState, lines: readonly { lineId: string; quantity?: number }[]): 'ADD' | 'CHANGE' {
  const current = new Map((state.status === 'NONE' ? [] : state.lines).map((line) => [line.lineId, line.quantity]));
  const known = lines.filter((line): line is { lineId: string; quantity: number } => current.has(line.lineId) && isWholeNumber(line.quantity));
  const up = known.filter((line) => line.quantity > current.get(line.lineId)!);
  const down = known.filter((line) => line.quantity < current.get(line.lineId)!);
  if (up.length && down.length) {
    throw invalid([
      {
        path: 'lines',
        message: `adds (${up.map((line) => line.lineId).join(', ')}) and reductions (${down.map((line) => line.lineId).join(', ')}) must be requested separately`,
      },
    ]);
  }
  return up.length ? 'ADD' : 'CHANGE';
}

const OPEN_CHANGE_TYPES: readonly string[] = ['CANCELLATION', 'ADD', 'CHANGE', 'RENEWAL'];

function openChange(request: OpenChange, state: ContractState): ContractEvent[] {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract does not exist');
  const productChange = request.changeType === 'PRODUCT_CHANGE';
  const changeType: OpenChangeType =
    request.changeType === 'QUANTITY_CHANGE' ? quantityChangeType(state, request.lines ?? []) : request.changeType === 'PRODUCT_CHANGE' ? 'CHANGE' : request.changeType;
  const command = { ...request, changeType };
  const contract: ExistingContract = state;
  if (contract.changes.some((change) => change.changeId === command.changeId)) {
    throw conflict('ALREADY_EXISTS', `Change ${command.changeId} was already opened on this contract`);
  }
  if (contract.status !== 'ACTIVE') {
    throw conflict('INVALID_STATE', `Only an ACTIVE contract can be changed; this one is ${contract.status} (${CONTRACT_STATUS_LABELS[contract.status]})`);
  }

  // 400: the request itself, every bad field at once.
  const errors: FieldError[] = [];
  const requested = command.lines ?? [];
  const cancellation = command.changeType === 'CANCELLATION';
  const renewal = command.changeType === 'RENEWAL';
  if (!OPEN_CHANGE_TYPES.includes(command.changeType)) errors.push({ path: 'type', message: 'must be CANCELLATION, ADD, CHANGE or RENEWAL' });
  if (command.all !== undefined && typeof command.all !== 'boolean') errors.push({ path: 'all', message: 'must be true or false' });
  if (command.all === true && !cancellation) errors.push({ path: 'all', message: 'select all (全選択) is for cancellations only' });
  if (command.all === true && requested.length) errors.push({ path: 'lines', message: 'give either lines or all: true, not both' });
  if (command.all !== true && requested.length === 0) errors.push({ path: 'lines', message: 'choose at least one line, or all: true' });
  requested.forEach((line, index) => {
    if (!((renewal || productChange) && line.quantity === undefined) && !isWholeNumber(line.quantity)) errors.push({ path: `lines[${index}].quantity`, message: 'must be a whole number' });
    if (productChange && typeof line.sku !== 'string') errors.push({ path: `lines[${index}].sku`, message: 'the product to move to is required' });
  });
  for (const id of duplicates(requested.map((line) => line.lineId))) errors.push({ path: 'lines', message: `line ${id} is listed more than once` });
  if (command.requestedOn !== undefined && !isDate(command.requestedOn)) errors.push({ path: 'requestedOn', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw invalid(errors);
  refuseUnknownLines(requested.map((line) => line.lineId), contract.lines, 'contract');

  const active = contract.lines.filter((line) => line.status === 'ACTIVE');
  const lineOf = (id: string) => contract.lines.find((line) => line.lineId === id)!;
  const chosen: { line: ContractLineState; quantity: number }[] = command.all
    ? active.map((line) => ({ line, quantity: line.quantity }))
    : requested.map((line) => ({ line: lineOf(line.lineId), quantity: line.quantity ?? lineOf(line.lineId).quantity }));

  // 422: the rules.
  if (command.all) {
    const trials = active.filter((line) => line.trial);
    if (trials.length) {
      throw ruleViolation(
        'TRIAL_IN_BULK_CANCELLATION',
        `${TRIAL_IN_BULK_CANCELLATION_MESSAGE} (${trials.map((line) => `${line.lineId} ${line.productName}`).join(', ')})`,
      );
    }
  }
  const notEligible = chosen.filter(({ line }) => line.status !== 'ACTIVE' || line.openChangeId);
  if (notEligible.length) {
    const why = (line: ContractLineState) =>
      line.status !== 'ACTIVE' ? `${line.lineId} (${line.status} ${CONTRACT_LINE_STATUS_LABELS[line.status]})` : `${line.lineId} (open change ${line.openChangeId})`;
    throw ruleViolation('LINE_NOT_ACTIVE', `Lines not eligible (cancelled, not yet active, or with an open change): ${notEligible.map(({ line }) => why(line)).join(', ')}`);
  }
  if (chosen.length === 0) throw ruleViolation('LINE_NOT_ACTIVE', 'No line of this contract is active');
  if (renewal) refuseRenewalOfLinesWithoutTerm(chosen.map(({ line }) => line), requested);
  const targets = new Map(productChange ? requested.map((wanted) => [wanted.lineId, productChangeTarget(lineOf(wanted.lineId), wanted.sku!)]) : []);
  if (cancellation || (command.changeType === 'CHANGE' && !productChange)) {
    const seatsGivenUp = (line: ContractLineState, quantity: number) => (cancellation ? quantity : line.quantity - quantity);
    refuseClosedWindows(
      chosen.map(({ line, quantity }) => ({ ...line, seatsGivenUp: seatsGivenUp(line, quantity) })),
      command.requestedOn ?? command.today,
    );
  }
  const range = (current: number): [number, number] =>
    cancellation
      ? [1, current]
      : renewal || productChange
        ? [1, Number.MAX_SAFE_INTEGER]
        : command.changeType === 'CHANGE'
          ? [1, current - 1]
          : [current + 1, Number.MAX_SAFE_INTEGER];
  const outOfRange = chosen.filter(({ line, quantity }) => {
    const [min, max] = range(line.quantity);
    return quantity < min || quantity > max;
  });
  if (outOfRange.length) {
    const allowed = (current: number) => {
      const [min, max] = range(current);
      if (min > max) return 'no reduction possible';
      return max === Number.MAX_SAFE_INTEGER ? `more than ${current}` : `${min}…${max}`;
    };
    const what = cancellation ? 'quantity to cancel' : 'new quantity';
    throw ruleViolation(
      'QUANTITY_OUT_OF_RANGE',
      `The ${what} is out of range: ${outOfRange.map(({ line, quantity }) => `${line.lineId} ${quantity} (allowed: ${allowed(line.quantity)})`).join(', ')}`,
    );
  }

  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = contract;
  return [
    {
      type: 'ContractChangeOpened',
      data: {
        ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
        changeId: command.changeId,
        type: command.changeType,
        subject: contract.subject,
        requestedOn: command.requestedOn ?? command.today,
        all: command.all === true,
        lines: chosen.map(({ line, quantity }) => {
          if (!line.subscriptionId) throw new Error(`Active contract line ${line.lineId} has no subscription`);
          return {
            lineId: line.lineId,
            orderLineId: line.orderLineId,
            sku: line.sku,
            productName: line.productName,
            subscriptionId: line.subscriptionId,
            currentQuantity: line.quantity,
            quantity,
            newQuantity: cancellation ? line.quantity - quantity : quantity,
            ...(targets.get(line.lineId) ?? {}),
          };
        }),
      },
    },
  ];
}

/** The open change an outcome refers to; undefined when it is over already (a redelivery: no-op). */
export function openChangeFor(state: ContractState, changeId: string, types: readonly OpenChangeType[]): { contract: ExistingContract; change?: ChangeOnContract } {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract does not exist');
  const change = state.changes.find((known) => known.changeId === changeId);
  if (!change) throw conflict('INVALID_STATE', `Change ${changeId} was never opened on this contract`);
  if (change.status !== 'OPEN') return { contract: state };
  if (!types.includes(change.type)) throw conflict('INVALID_STATE', `Change ${changeId} is a ${change.type}, not a ${types.join(' / ')}`);
  return { contract: state, change };
}

function applyCancellation(command: ApplyCancellation, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['CANCELLATION']);
  if (!change) return [];
  const errors: FieldError[] = [];
  if (!isDate(command.endDate)) errors.push({ path: 'endDate', message: 'must be a date (YYYY-MM-DD)' });
  if (!isDate(command.cancelledOn)) errors.push({ path: 'cancelledOn', message: 'must be a date (YYYY-MM-DD)' });
  command.lines.forEach((requested, index) => {
    const line = contract.lines.find((known) => known.lineId === requested.lineId);
    if (!line || line.openChangeId !== change.changeId) {
      errors.push({ path: `lines[${index}].lineId`, message: `line ${requested.lineId} is not held by change ${change.changeId}` });
    } else if (!isWholeNumber(requested.quantity) || requested.quantity < 1 || requested.quantity > line.quantity) {
      errors.push({ path: `lines[${index}].quantity`, message: `must be 1…${line.quantity}` });
    }
  });
  for (const id of duplicates(command.lines.map((line) => line.lineId))) errors.push({ path: 'lines', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);

  const outcomes = command.lines.map((requested): CancelledLineOutcome => {
    const line = contract.lines.find((known) => known.lineId === requested.lineId)!;
    const remainingQuantity = line.quantity - requested.quantity;
    return { lineId: line.lineId, cancelledQuantity: requested.quantity, remainingQuantity, status: remainingQuantity === 0 ? 'CANCELLED' : 'ACTIVE' };
  });
  const after = contract.lines.map((line) => outcomes.find((outcome) => outcome.lineId === line.lineId) ?? line);
  return [
    {
      type: 'ContractLinesCancelled',
      data: {
        contractId: contract.contractId,
        changeId: change.changeId,
        endDate: command.endDate,
        cancelledOn: command.cancelledOn,
        lines: outcomes,
        contractStatus: contractStatusOf(after),
      },
    },
  ];
}

function applyQuantityChange(command: ApplyQuantityChange, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['ADD', 'CHANGE']);
  if (!change) return [];
  const errors: FieldError[] = [];
  if (!isDate(command.effectiveOn)) errors.push({ path: 'effectiveOn', message: 'must be a date (YYYY-MM-DD)' });
  command.lines.forEach((requested, index) => {
    const line = contract.lines.find((known) => known.lineId === requested.lineId);
    if (!line || line.openChangeId !== change.changeId) {
      errors.push({ path: `lines[${index}].lineId`, message: `line ${requested.lineId} is not held by change ${change.changeId}` });
    } else if (!isWholeNumber(requested.newQuantity) || requested.newQuantity < 1) {
      errors.push({ path: `lines[${index}].newQuantity`, message: 'must be a whole number of at least 1' });
    }
  });
  for (const id of duplicates(command.lines.map((line) => line.lineId))) errors.push({ path: 'lines', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);

  return [
    {
      type: 'ContractLineQuantitiesChanged',
      data: {
        contractId: contract.contractId,
        changeId: change.changeId,
        effectiveOn: command.effectiveOn,
        lines: command.lines.map((requested) => ({
          lineId: requested.lineId,
          previousQuantity: contract.lines.find((line) => line.lineId === requested.lineId)!.quantity,
          newQuantity: requested.newQuantity,
          ...(requested.newSku ? { newSku: requested.newSku, newProductName: requested.newProductName, newUnitPrice: requested.newUnitPrice } : {}),
        })),
      },
    },
  ];
}

/** 更新 is for lines with a term (422 NO_TERM); the next term keeps the product (422 RENEWAL_PRODUCT_CHANGE for another sku). */
function refuseRenewalOfLinesWithoutTerm(lines: readonly ContractLineState[], requested: readonly { lineId: string; sku?: string }[]): void {
  const evergreen = lines.filter((line) => !line.termDuration);
  if (evergreen.length) {
    throw ruleViolation('NO_TERM', `Lines without a term run until cancelled and have no renewal: ${evergreen.map((line) => `${line.lineId} ${line.productName}`).join(', ')}`);
  }
  const otherProduct = requested.filter((wanted) => wanted.sku !== undefined && wanted.sku !== lines.find((line) => line.lineId === wanted.lineId)?.sku);
  if (otherProduct.length) {
    throw ruleViolation('RENEWAL_PRODUCT_CHANGE', `A renewal keeps the line's product; change it with a product change: ${otherProduct.map((line) => `${line.lineId} → ${line.sku}`).join(', ')}`);
  }
}

function closeChange(command: CloseChange, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['CANCELLATION', 'ADD', 'CHANGE', 'RENEWAL']);
  if (!change) return [];
  return [{ type: 'ContractChangeClosed', data: { contractId: contract.contractId, changeId: change.changeId, lineIds: [...change.lineIds] } }];
}

/** The lines with the change's lock released, and the change marked over. */
export function release(state: ExistingContract, changeId: string, status: 'APPLIED' | 'CLOSED', lines = state.lines): ExistingContract {
  return {
    ...state,
    lines: lines.map((line) => {
      if (line.openChangeId !== changeId) return line;
      const { openChangeId: _change, ...rest } = line;
      return rest;
    }),
    changes: state.changes.map((change) => (change.changeId === changeId ? { ...change, status } : change)),
  };
}

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateContract':
        return createContract(command, state);
      case 'ConfirmLines':
        return confirmLines(command, state);
      case 'OpenChange':
        return openChange(command, state);
      case 'ApplyCancellation':
        return applyCancellation(command, state);
      case 'ApplyQuantityChange':
        return applyQuantityChange(command, state);
      case 'CloseChange':
        return closeChange(command, state);
      case 'SetAutoRenew':
        return setAutoRenew(command, state);
      case 'RenewTerms':
        return renewTerms(command, state);
      case 'ApplyRenewalChange':
        return applyRenewalChange(command, state);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ContractCreated': {
        const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId, purchaseOrderNumber, endUserOrderNumber } =
          event.data;
        return {
          status: 'PENDING',
          ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
          ...optional('purchaseOrderNumber', purchaseOrderNumber),
          ...optional('endUserOrderNumber', endUserOrderNumber),
          subject: event.data.subject,
          contractDate: event.data.contractDate,
          lines: event.data.lines.map((line) => ({ ...line, status: 'PENDING' })),
          changes: [],
        };
      }
      case 'ContractConfirmed': {
        if (state.status === 'NONE') return state;
        const confirmed = new Map(event.data.lines.map((line) => [line.lineId, line]));
        const lines = state.lines.map((line): ContractLineState => {
          const done = confirmed.get(line.lineId);
          if (!done) return line;
          const { termStartDate, termEndDate, autoRenew } = done;
          const term = termEndDate ? { termStartDate, termEndDate, autoRenew, autoRenewChangedOn: event.data.confirmedOn } : {};
          const windows = isNewCommerce(line) ? { seatWindows: [windowFrom(done.startDate, line.quantity)] } : {};
          return { ...line, status: 'ACTIVE', startDate: done.startDate, subscriptionId: done.subscriptionId, ...term, ...windows };
        });
        return { ...state, status: contractStatusOf(lines), lines };
      }
      case 'ContractChangeOpened': {
        if (state.status === 'NONE') return state;
        const { changeId, type } = event.data;
        const lineIds = event.data.lines.map((line) => line.lineId);
        return {
          ...state,
          lines: state.lines.map((line) => (lineIds.includes(line.lineId) ? { ...line, openChangeId: changeId } : line)),
          changes: [...state.changes, { changeId, type, status: 'OPEN', lineIds }],
        };
      }
      case 'ContractLinesCancelled': {
        if (state.status === 'NONE') return state;
        const { endDate, cancelledOn } = event.data;
        const outcomes = new Map(event.data.lines.map((outcome) => [outcome.lineId, outcome]));
        const lines = state.lines.map((line): ContractLineState => {
          const outcome = outcomes.get(line.lineId);
          if (!outcome) return line;
          // A fully cancelled line keeps the quantity it ended with; a reduced one runs on with the rest.
          return outcome.status === 'CANCELLED'
            ? { ...line, status: 'CANCELLED', endDate, cancelledOn }
            : { ...line, status: 'ACTIVE', quantity: outcome.remainingQuantity };
        });
        const released = release(state, event.data.changeId, 'APPLIED', lines);
        return { ...released, status: contractStatusOf(released.lines) };
      }
      case 'ContractLineQuantitiesChanged': {
        if (state.status === 'NONE') return state;
        const changed = new Map(event.data.lines.map((line) => [line.lineId, line.newQuantity]));
        const changedProducts = productsOf(event.data.lines);
        const lines = state.lines.map((line) => {
          if (!changed.has(line.lineId)) return line;
          const quantity = changed.get(line.lineId)!;
          // Added new-commerce seats get a window of their own, from the day they take effect.
          const added = isNewCommerce(line) && quantity > line.quantity ? { seatWindows: [...(line.seatWindows ?? []), windowFrom(event.data.effectiveOn, quantity - line.quantity)] } : {};
          const product = changedProducts.get(line.lineId);
          return { ...line, quantity, ...added, ...product };
        });
        return release(state, event.data.changeId, 'APPLIED', lines);
      }
      case 'ContractChangeClosed':
        return state.status === 'NONE' ? state : release(state, event.data.changeId, 'CLOSED');
      case 'ContractLineAutoRenewSet':
      case 'ContractLineRenewalScheduled':
      case 'ContractLineRenewed':
      case 'ContractLineEnded':
        return state.status === 'NONE' ? state : evolveTerms(state, event);
      // A contract stream may hold only ContractCreationAbandoned (see line-reservations.ts): no contract.
      default:
        return state;
    }
  },
};

 /** A product change applied: the lines' new sku, product name and unit price. */
export function productsOf(lines: readonly { lineId: string; newSku?: string; newProductName?: string; newUnitPrice?: number }[]) {
  return new Map(
    lines
      .filter((line) => line.newSku)
      .map((line) => [line.lineId, { sku: line.newSku!, productName: line.newProductName!, unitPrice: line.newUnitPrice! }] as const),
  );
}

export const contractStreamId = (contractId: string) => `contract-${contractId}`;
