import { addDaysToDate, termEndOf } from '@lp/integration-events';
import { invalid, ruleViolation } from '@lp/eventsourcing';
import { openChangeFor } from './apply-change';
import { ApplyRenewalChange, RenewTerms, SetAutoRenew } from './commands';
import { ContractEvent } from './events';
import { ContractState, existingContract } from './state';

/**
 * Terms and renewal (契約更新): a line whose product has a term (P1M, P1Y) runs term after term.
 * At a term's end a line with auto-renew on renews (with the renewal change confirmed for it, if
 * any); one with auto-renew off ends on its term end date. Decided on the contract stream, so a
 * term renews once however many runs race for it (the loser's append fails on the revision and
 * decides again: nothing left to do).
 *
 * `autoRenew` is a boolean (AutoRenewDto) and a run's date a real date (RenewalRunDto, or today in
 * Tokyo for the timer): the decider checks the line and its term, not the shapes.
 */

export function setAutoRenew(command: SetAutoRenew, state: ContractState): ContractEvent[] {
  const contract = existingContract(state);
  const line = contract.lines.find((known) => known.lineId === command.lineId);
  if (!line) throw invalid([{ path: 'lineId', message: `line ${command.lineId} is not a line of this contract` }]);
  if (!line.termDuration) throw ruleViolation('NO_TERM', `Line ${line.lineId} (${line.productName}) has no term: it runs until cancelled`);
  if (line.status !== 'ACTIVE') throw ruleViolation('LINE_NOT_ACTIVE', `Line ${line.lineId} is ${line.status}: only an active line's renewal can be set`);
  if (line.autoRenew === command.autoRenew) return [];
  return [{ type: 'ContractLineAutoRenewSet', data: { contractId: contract.contractId, lineId: line.lineId, autoRenew: command.autoRenew, changedOn: command.changedOn } }];
}

/** One event per line and term: renewed terms follow each other until one reaches `asOf`; a line with auto-renew off ends. */
export function renewTerms(command: RenewTerms, state: ContractState): ContractEvent[] {
  const contract = existingContract(state);
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

/** A confirmed renewal change waits on its lines for their next term; the lock is released now. */
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
