import { conflict, FieldError, ruleViolation } from '@lp/eventsourcing';
import { Confirm, ConfirmCancellation, ConfirmQuantityChange, ConfirmRenewal } from './commands';
import { identityOf, newProductOf, referenceOf } from './event-data';
import { ContractChangeEvent } from './events';
import { ContractChangeState, existingChange, ExistingContractChange, inState } from './state';

/*
 * 確定: the change completes, and its outcome goes back to the contract (../change-outcome.ts).
 * One confirmation per type, and the generic one that picks the change's own. The dates are real
 * dates and force a boolean (the confirmation DTOs); a cancellation's end date is required by
 * ConfirmCancellationDto, and by `confirm` as a rule (END_DATE_REQUIRED), the generic body being
 * unable to require it for one type only.
 */

export const SUPPLIER_NOT_CONFIRMED_MESSAGE = '仕入元で解約処理が確定されていません';

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

export function confirmCancellation(command: ConfirmCancellation, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  if (change.type !== 'CANCELLATION') throw conflict('INVALID_STATE', `A ${change.type} change is confirmed as a quantity change`);
  inState(change, ['ACCEPTED'], 'confirm');
  const forced = assertConfirmable(change, command.force);
  return [
    {
      type: 'CancellationConfirmed',
      data: {
        ...referenceOf(change),
        type: 'CANCELLATION',
        requestedOn: change.requestedOn,
        endDate: command.endDate,
        cancelledOn: command.confirmedOn,
        forced,
        lines: change.lines.map((line) => ({ ...identityOf(line), cancelledQuantity: line.quantity, remainingQuantity: line.newQuantity })),
      },
    },
  ];
}

export function confirmQuantityChange(command: ConfirmQuantityChange, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  if (change.type !== 'ADD' && change.type !== 'CHANGE') throw conflict('INVALID_STATE', `A ${change.type} change is not a quantity change`);
  inState(change, ['ACCEPTED'], 'confirm');
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
        lines: change.lines.map((line) => ({
          ...identityOf(line),
          previousQuantity: line.currentQuantity,
          newQuantity: line.newQuantity,
          ...newProductOf(line),
          ...(line.vendorConfirmedOn ? { vendorConfirmedOn: line.vendorConfirmedOn } : {}),
        })),
      },
    },
  ];
}

export function confirmRenewal(command: ConfirmRenewal, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
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
        lines: change.lines.map((line) => ({ ...identityOf(line), currentQuantity: line.currentQuantity, newQuantity: line.newQuantity })),
      },
    },
  ];
}

/** The generic 確定: whatever the change's type, with the same rules (and force) as the typed confirmations. */
export function confirm(command: Confirm, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
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
