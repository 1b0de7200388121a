import { ContractLineEnded, ContractLineRenewed, RenewalScheduled, termEndOf, addDaysToDate } from '@lp/integration-events';
import { conflict, DomainEvent, FieldError, invalid, ruleViolation } from '@lp/eventsourcing';
import type { ContractEvent, ContractLineState, ContractState, ExistingContract } from './contract';
import { contractStatusOf, isDate, openChangeFor, release } from './contract';

/**
 * Terms and renewal (契約更新): a line whose product has a term (P1M, P1Y) runs term after term.
 * At a term's end a line with auto-renew on renews (with the renewal change confirmed for it, if
 * any); one with auto-renew off ends on its term end date. Decided on the contract stream, so a
 * term renews once however many runs race for it (the loser's append fails on the revision and
 * decides again: nothing left to do).
 */

/** 自動更新 on or off (PUT /contracts/:id/lines/:lineId/auto-renew). Not published: billing learns the outcome at the term end. */
export type ContractLineAutoRenewSet = DomainEvent<'ContractLineAutoRenewSet', { contractId: string; lineId: string; autoRenew: boolean; changedOn: string }>;

/** A confirmed renewal change (RenewalScheduled) noted on its lines; the lock is released. */
export type ContractLineRenewalScheduled = DomainEvent<
  'ContractLineRenewalScheduled',
  { contractId: string; changeId: string; lines: { lineId: string; quantity: number }[] }
>;

export type ContractTermEvent = ContractLineAutoRenewSet | ContractLineRenewalScheduled | ContractLineRenewed | ContractLineEnded;

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

function existing(state: ContractState): ExistingContract {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract does not exist');
  return state;
}

export function setAutoRenew(command: SetAutoRenew, state: ContractState): ContractEvent[] {
  const contract = existing(state);
  if (typeof command.autoRenew !== 'boolean') throw invalid([{ path: 'autoRenew', message: 'must be true or false' }]);
  const line = contract.lines.find((known) => known.lineId === command.lineId);
  if (!line) throw invalid([{ path: 'lineId', message: `line ${command.lineId} is not a line of this contract` }]);
  if (!line.termDuration) throw ruleViolation('NO_TERM', `Line ${line.lineId} (${line.productName}) has no term: it runs until cancelled`);
  if (line.status !== 'ACTIVE') throw ruleViolation('LINE_NOT_ACTIVE', `Line ${line.lineId} is ${line.status}: only an active line's renewal can be set`);
  if (line.autoRenew === command.autoRenew) return [];
  return [{ type: 'ContractLineAutoRenewSet', data: { contractId: contract.contractId, lineId: line.lineId, autoRenew: command.autoRenew, changedOn: command.changedOn } }];
}

/** One event per line and term: renewed terms follow each other until one reaches `asOf`; a line with auto-renew off ends. */
export function renewTerms(command: RenewTerms, state: ContractState): ContractEvent[] {
  const contract = existing(state);
  const errors: FieldError[] = [];
  if (!isDate(command.asOf)) errors.push({ path: 'date', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw invalid(errors);
  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = contract;
  const reference = { contractId, contractNumber, orderId, orderNumber, resellerId, customerId };
  const events: ContractEvent[] = [];
  for (const line of contract.lines) {
    if (line.status !== 'ACTIVE' || !line.termDuration || !line.termEndDate || !line.subscriptionId) continue;
    const identity = {
      lineId: line.lineId,
      orderLineId: line.orderLineId,
      sku: line.sku,
      productName: line.productName,
      subscriptionId: line.subscriptionId,
      billingPolicy: line.billingPolicy,
    };
    let { termEndDate, quantity } = line;
    let scheduled = line.scheduledRenewal;
    while (termEndDate < command.asOf) {
      if (line.autoRenew === false) {
        const autoRenewOffSince = line.autoRenewChangedOn ?? termEndDate;
        events.push({ type: 'ContractLineEnded', data: { ...reference, ...identity, endDate: termEndDate, endedOn: command.renewedOn, autoRenewOffSince } });
        break;
      }
      const termStartDate = addDaysToDate(termEndDate, 1);
      const next = scheduled?.quantity ?? quantity;
      termEndDate = termEndOf(termStartDate, line.termDuration);
      events.push({
        type: 'ContractLineRenewed',
        data: {
          ...reference,
          ...identity,
          unitPrice: line.unitPrice,
          previousQuantity: quantity,
          quantity: next,
          termDuration: line.termDuration,
          termStartDate,
          termEndDate,
          renewedOn: command.renewedOn,
          ...(scheduled ? { changeId: scheduled.changeId } : {}),
        },
      });
      quantity = next;
      scheduled = undefined;
    }
  }
  return events;
}

export function applyRenewalChange(command: ApplyRenewalChange, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['RENEWAL']);
  if (!change) return [];
  const notHeld = command.lines.filter((requested) => contract.lines.find((line) => line.lineId === requested.lineId)?.openChangeId !== change.changeId);
  if (notHeld.length) throw invalid(notHeld.map((line) => ({ path: 'lines', message: `line ${line.lineId} is not held by change ${change.changeId}` })));
  return [
    {
      type: 'ContractLineRenewalScheduled',
      data: { contractId: contract.contractId, changeId: change.changeId, lines: command.lines.map((line) => ({ lineId: line.lineId, quantity: line.newQuantity })) },
    },
  ];
}

function withLine(state: ExistingContract, lineId: string, update: (line: ContractLineState) => ContractLineState): ExistingContract {
  return { ...state, lines: state.lines.map((line) => (line.lineId === lineId ? update(line) : line)) };
}

export function evolveTerms(state: ExistingContract, event: ContractTermEvent): ExistingContract {
  switch (event.type) {
    case 'ContractLineAutoRenewSet':
      return withLine(state, event.data.lineId, (line) => ({ ...line, autoRenew: event.data.autoRenew, autoRenewChangedOn: event.data.changedOn }));
    case 'ContractLineRenewalScheduled': {
      const scheduled = new Map(event.data.lines.map((line) => [line.lineId, line.quantity]));
      const lines = state.lines.map((line) =>
        scheduled.has(line.lineId) ? { ...line, scheduledRenewal: { changeId: event.data.changeId, quantity: scheduled.get(line.lineId)! } } : line,
      );
      return release(state, event.data.changeId, 'APPLIED', lines);
    }
    case 'ContractLineRenewed':
      return withLine(state, event.data.lineId, ({ scheduledRenewal: _done, ...line }) => ({
        ...line,
        quantity: event.data.quantity,
        termStartDate: event.data.termStartDate,
        termEndDate: event.data.termEndDate,
      }));
    case 'ContractLineEnded': {
      const ended = withLine(state, event.data.lineId, (line) => ({ ...line, status: 'CANCELLED', endDate: event.data.endDate }));
      return { ...ended, status: contractStatusOf(ended.lines) };
    }
  }
}
