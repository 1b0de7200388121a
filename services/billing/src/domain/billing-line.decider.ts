import { conflict, Decider, DomainEvent, FieldError, invalid, ruleViolation } from '@lp/eventsourcing';
import { LineChargingScheduled } from '@lp/integration-events';
import type { BillingLine, LineCancellation, QuantityChange, UsageRecord } from './billing-line';
import { chargingPeriodOf } from './charging-period';

/**
 * One `billingLine-<lineId>` stream per contract line: what billing learned from the contract
 * service's events (ContractConfirmed → started, QuantityChanged / a reduction → changed,
 * CancellationConfirmed → cancelled) and the usage imported for it. Every command is idempotent by
 * the id of what caused it (the line, the change, the usage record), so a redelivered contract
 * event changes nothing and can never charge twice. Internal to billing: not published.
 */

/** What an invoice prints of the contract a line belongs to. */
export interface LineContract {
  contractNumber: string;
  orderNumber: string;
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
}

export type BillableLine = Omit<BillingLine, 'changes' | 'cancellation'>;

export type BillingLineStarted = DomainEvent<'BillingLineStarted', { line: BillableLine; contract: LineContract; scheduleId?: string }>;
export type BillingLineQuantityChanged = DomainEvent<'BillingLineQuantityChanged', { lineId: string; change: QuantityChange }>;
export type BillingLineCancelled = DomainEvent<'BillingLineCancelled', { lineId: string; cancellation: LineCancellation }>;
export type UsageRecorded = DomainEvent<'UsageRecorded', { lineId: string; usage: UsageRecord }>;
export type BillingLineEvent = BillingLineStarted | BillingLineQuantityChanged | BillingLineCancelled | UsageRecorded | LineChargingScheduled;

/** The published charging period of the line as it stands after `events` (billing.events; the rest of the stream stays private). */
function chargingScheduled(state: BillingLineState, events: BillingLineEvent[]): LineChargingScheduled {
  const after = events.reduce(billingLineDecider.evolve, state);
  if (after.status === 'NONE') throw new Error('A charging period of a line whose billing never started');
  const { line } = after;
  const { from, until } = chargingPeriodOf(line);
  // A line's first product bills on billingLine-<lineId>, a product it changed to on billingLine-<lineId>~<sku>.
  const scheduleId = after.scheduleId ?? line.lineId;
  return {
    type: 'LineChargingScheduled',
    data: {
      scheduleId,
      lineId: line.lineId,
      contractId: line.contractId,
      customerId: line.customerId,
      resellerId: line.resellerId,
      sku: line.sku,
      chargingFrom: from,
      ...(until ? { chargingUntil: until } : {}),
    },
  };
}

export interface StartLineBilling {
  type: 'StartLineBilling';
  line: BillableLine;
  contract: LineContract;
  /** A product the line changed to: its own schedule (the stream's id after `billingLine-`); default the line id. */
  scheduleId?: string;
}
export interface ChangeLineQuantity {
  type: 'ChangeLineQuantity';
  change: QuantityChange;
}
export interface CancelLine {
  type: 'CancelLine';
  cancellation: LineCancellation;
}
export interface RecordUsage {
  type: 'RecordUsage';
  usage: UsageRecord;
}
export type BillingLineCommand = StartLineBilling | ChangeLineQuantity | CancelLine | RecordUsage;

export type BillingLineState =
  | { status: 'NONE' }
  | { status: 'BILLING' | 'CANCELLED'; line: BillingLine; contract: LineContract; usage: UsageRecord[]; scheduleId?: string };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function started(state: BillingLineState) {
  // The contract's ContractConfirmed and its changes travel on different streams (and partitions):
  // a change that overtakes the confirmation is refused here, retried by the bus, and lands once it arrived.
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'Billing of this line has not started');
  return state;
}

function recordUsage(command: RecordUsage, state: BillingLineState): BillingLineEvent[] {
  const { usage } = command;
  const errors: FieldError[] = [];
  if (!usage.usageId?.trim()) errors.push({ path: 'usageId', message: 'is required' });
  if (!MONTH.test(usage.month ?? '')) errors.push({ path: 'month', message: 'must be a month (YYYY-MM)' });
  if (!Number.isInteger(usage.amount) || usage.amount < 0) errors.push({ path: 'amount', message: 'must be whole yen, 0 or more' });
  if (!usage.description?.trim()) errors.push({ path: 'description', message: 'is required' });
  if (errors.length) throw invalid(errors);
  if (state.status === 'NONE') throw ruleViolation('LINE_NOT_BILLED', `Line ${usage.lineId} is not billed (no confirmed contract line)`);
  if (state.line.billingPolicy !== 'microsoft-csp-usage') {
    throw ruleViolation('NOT_USAGE_BILLED', `Line ${usage.lineId} is billed by ${state.line.billingPolicy}, not by usage`);
  }
  const known = state.usage.find((record) => record.usageId === usage.usageId);
  if (known) {
    if (known.month === usage.month && known.amount === usage.amount) return [];
    throw conflict('USAGE_ALREADY_RECORDED', `Usage record ${usage.usageId} was recorded with other figures`);
  }
  return [{ type: 'UsageRecorded', data: { lineId: state.line.lineId, usage } }];
}

export const billingLineDecider: Decider<BillingLineCommand, BillingLineEvent, BillingLineState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'StartLineBilling': {
        if (state.status !== 'NONE') return [];
        const schedule = command.scheduleId ? { scheduleId: command.scheduleId } : {};
        const events: BillingLineEvent[] = [{ type: 'BillingLineStarted', data: { line: command.line, contract: command.contract, ...schedule } }];
        return [...events, chargingScheduled(state, events)];
      }
      case 'ChangeLineQuantity': {
        const line = started(state).line;
        if (line.changes.some((change) => change.changeId === command.change.changeId)) return [];
        return [{ type: 'BillingLineQuantityChanged', data: { lineId: line.lineId, change: command.change } }];
      }
      case 'CancelLine': {
        const line = started(state).line;
        if (line.cancellation) return [];
        const events: BillingLineEvent[] = [{ type: 'BillingLineCancelled', data: { lineId: line.lineId, cancellation: command.cancellation } }];
        return [...events, chargingScheduled(state, events)];
      }
      case 'RecordUsage':
        return recordUsage(command, state);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BillingLineStarted':
        return {
          status: 'BILLING',
          line: { ...event.data.line, changes: [] },
          contract: event.data.contract,
          usage: [],
          ...(event.data.scheduleId ? { scheduleId: event.data.scheduleId } : {}),
        };
      case 'BillingLineQuantityChanged':
        return state.status === 'NONE' ? state : { ...state, line: { ...state.line, changes: [...state.line.changes, event.data.change] } };
      case 'BillingLineCancelled':
        return state.status === 'NONE' ? state : { ...state, status: 'CANCELLED', line: { ...state.line, cancellation: event.data.cancellation } };
      case 'UsageRecorded':
        return state.status === 'NONE' ? state : { ...state, usage: [...state.usage, event.data.usage] };
      default:
        return state;
    }
  },
};

export const billingLineStreamId = (lineId: string) => `billingLine-${lineId}`;
