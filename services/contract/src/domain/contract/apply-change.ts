import { conflict, FieldError, invalid } from '@lp/eventsourcing';
import { addedSeatsWindow, isNewCommerce } from '../nce-windows';
import { ApplyCancellation, ApplyQuantityChange, CloseChange } from './commands';
import { CancelledLineOutcome, ContractEvent, OpenChangeType } from './events';
import { ChangeOnContract, ContractState, ExistingContract, existingContract } from './state';
import { contractStatusOf } from './statuses';

/*
 * A change's outcome, carried over from its own stream (../change-outcome.ts): confirmed, it is
 * applied to the lines it holds; withdrawn, it is closed. Either way the lock is released. Outcomes
 * arrive at least once, so a change that is over already answers no events.
 *
 * The commands are translations of the change's own events (contractCommandForOutcome): their
 * dates were real dates and their lines whole and unique when the change was requested, so only
 * what depends on the contract now is checked (the change holds the line, the quantity fits it).
 */

/** The open change an outcome refers to; undefined when it is over already (a redelivery: no-op). */
export function openChangeFor(state: ContractState, changeId: string, types: readonly OpenChangeType[]): { contract: ExistingContract; change?: ChangeOnContract } {
  const contract = existingContract(state);
  const change = contract.changes.find((known) => known.changeId === changeId);
  if (!change) throw conflict('INVALID_STATE', `Change ${changeId} was never opened on this contract`);
  if (change.status !== 'OPEN') return { contract };
  if (!types.includes(change.type)) throw conflict('INVALID_STATE', `Change ${changeId} is a ${change.type}, not a ${types.join(' / ')}`);
  return { contract, change };
}

type ContractLine = ExistingContract['lines'][number];

/** 400 naming every requested line the change does not hold, or whose quantity `misfit` refuses. */
function requireHeldLines<L extends { lineId: string }>(
  contract: ExistingContract,
  change: ChangeOnContract,
  lines: L[],
  misfit: (requested: L, line: ContractLine, index: number) => FieldError | undefined,
): void {
  const errors: FieldError[] = [];
  lines.forEach((requested, index) => {
    const line = contract.lines.find((known) => known.lineId === requested.lineId);
    const error =
      !line || line.openChangeId !== change.changeId
        ? { path: `lines[${index}].lineId`, message: `line ${requested.lineId} is not held by change ${change.changeId}` }
        : misfit(requested, line, index);
    if (error) errors.push(error);
  });
  if (errors.length) throw invalid(errors);
}

export function applyCancellation(command: ApplyCancellation, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['CANCELLATION']);
  if (!change) return [];
  requireHeldLines(contract, change, command.lines, (requested, line, index) =>
    requested.quantity < 1 || requested.quantity > line.quantity ? { path: `lines[${index}].quantity`, message: `must be 1…${line.quantity}` } : undefined,
  );

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

export function applyQuantityChange(command: ApplyQuantityChange, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['ADD', 'CHANGE']);
  if (!change) return [];
  requireHeldLines(contract, change, command.lines, (requested, _line, index) =>
    requested.newQuantity < 1 ? { path: `lines[${index}].newQuantity`, message: 'must be at least 1' } : undefined,
  );

  return [
    {
      type: 'ContractLineQuantitiesChanged',
      data: {
        contractId: contract.contractId,
        changeId: change.changeId,
        effectiveOn: command.effectiveOn,
        lines: command.lines.map((requested) => {
          const line = contract.lines.find((candidate) => candidate.lineId === requested.lineId)!;
          const added = requested.newQuantity - line.quantity;
          return {
            lineId: requested.lineId,
            previousQuantity: line.quantity,
            newQuantity: requested.newQuantity,
            ...(requested.newSku ? { newSku: requested.newSku, newProductName: requested.newProductName, newUnitPrice: requested.newUnitPrice } : {}),
            ...(isNewCommerce(line) && added > 0 ? { cancellationAllowedUntil: addedSeatsWindow(requested, command.effectiveOn, added).until } : {}),
          };
        }),
      },
    },
  ];
}

export function closeChange(command: CloseChange, state: ContractState): ContractEvent[] {
  const { contract, change } = openChangeFor(state, command.changeId, ['CANCELLATION', 'ADD', 'CHANGE', 'RENEWAL']);
  if (!change) return [];
  return [{ type: 'ContractChangeClosed', data: { contractId: contract.contractId, changeId: change.changeId, lineIds: [...change.lineIds] } }];
}
