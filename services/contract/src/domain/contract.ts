import { BillingPolicy, ContractConfirmed, ContractCreated, ContractLineTerms, ContractReference as PublishedContractReference } from '@lp/integration-events';
import { conflict, Decider, FieldError, invalid, ruleViolation } from '@lp/eventsourcing';

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
export type ContractEvent = ContractCreated | ContractConfirmed;

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

export type ContractCommand = CreateContract | ConfirmLines;

export interface ContractLineState extends ContractLineTerms {
  status: ContractLineStatus;
  startDate?: string;
  /** Set by cancellations (issue 5). */
  endDate?: string;
  cancelledOn?: string;
}

export type ContractState =
  | { status: 'NONE' }
  | (ContractReference & {
      status: ContractStatus;
      purchaseOrderNumber?: string;
      endUserOrderNumber?: string;
      contractDate: string;
      lines: ContractLineState[];
    });
type ExistingContract = Exclude<ContractState, { status: 'NONE' }>;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function isDate(value: string): boolean {
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

/** The contract is ACTIVE once any line is; CANCELLED when lines were active and none remains (issue 5). */
export function contractStatusOf(lines: readonly Pick<ContractLineState, 'status'>[]): ContractStatus {
  if (lines.some((line) => line.status === 'ACTIVE')) return 'ACTIVE';
  if (lines.length > 0 && lines.every((line) => line.status === 'CANCELLED')) return 'CANCELLED';
  return 'PENDING';
}

function duplicates(ids: readonly string[]): string[] {
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
    const { orderLineId, refundWindowDays, subscriptionId, ...terms } = placed.get(id)!;
    return {
      lineId: orderLineId,
      orderLineId,
      ...terms,
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
  for (const id of command.lineIds ?? []) {
    if (!contract.lines.some((line) => line.lineId === id)) errors.push({ path: 'lineIds', message: `line ${id} is not a line of this contract` });
  }
  for (const id of duplicates(command.lineIds ?? [])) errors.push({ path: 'lineIds', message: `line ${id} is listed more than once` });
  if (command.startDate !== undefined && !isDate(command.startDate)) errors.push({ path: 'startDate', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw invalid(errors);

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
          const { status: _status, startDate: _start, endDate: _end, cancelledOn: _cancelled, ...terms } = line;
          return { ...terms, subscriptionId: subscriptionOf(line)!.subscriptionId, startDate };
        }),
      },
    },
  ];
}

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateContract':
        return createContract(command, state);
      case 'ConfirmLines':
        return confirmLines(command, state);
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
          contractDate: event.data.contractDate,
          lines: event.data.lines.map((line) => ({ ...line, status: 'PENDING' })),
        };
      }
      case 'ContractConfirmed': {
        if (state.status === 'NONE') return state;
        const confirmed = new Map(event.data.lines.map((line) => [line.lineId, line]));
        const lines = state.lines.map((line): ContractLineState => {
          const done = confirmed.get(line.lineId);
          return done ? { ...line, status: 'ACTIVE', startDate: done.startDate, subscriptionId: done.subscriptionId } : line;
        });
        return { ...state, status: contractStatusOf(lines), lines };
      }
      // A contract stream may hold only ContractCreationAbandoned (see line-reservations.ts): no contract.
      default:
        return state;
    }
  },
};

export const contractStreamId = (contractId: string) => `contract-${contractId}`;
