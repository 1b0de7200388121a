import { conflict } from '@lp/eventsourcing';
import { refuseUnknownLines } from '../unknown-lines';
import { Link, RecordVendorConfirmation, RecordVendorRefusal } from './commands';
import { identityOf, newProductOf, referenceOf } from './event-data';
import { ContractChangeEvent } from './events';
import { ContractChangeLineState, ContractChangeState, existingChange, ExistingContractChange, inState } from './state';
import { CONTRACT_CHANGE_TYPE_LABELS } from './statuses';

/*
 * 解約連携 (and its quantity-change counterpart): accepted lines go to the vendor through
 * provisioning, whose answers come back per line as a confirmation or a refusal. The chosen line
 * ids are each listed once (LinkChangeDto).
 */

export function link(command: Link, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  if (change.type === 'RENEWAL') {
    throw conflict('NO_VENDOR_LINK', 'A renewal change (更新) has nothing to link: the vendor subscription renews at the term end; confirm it');
  }
  const kind = change.type === 'CANCELLATION' ? 'CANCELLATION' : 'QUANTITY_CHANGE';
  if (command.kind && command.kind !== kind) {
    throw conflict('INVALID_STATE', `Change ${change.changeId} is a ${change.type} (${CONTRACT_CHANGE_TYPE_LABELS[change.type]}): link it as a ${kind.toLowerCase().replace('_', ' ')}`);
  }
  inState(change, ['ACCEPTED'], 'link');
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
            ...identityOf(line),
            currentQuantity: line.currentQuantity,
            quantity: line.quantity,
            remainingQuantity: line.newQuantity,
          })),
        },
      },
    ];
  }
  return [
    {
      type: 'QuantityChangeLinked',
      data: {
        ...common,
        type: change.type,
        lines: chosen.map((line) => ({ ...identityOf(line), previousQuantity: line.currentQuantity, newQuantity: line.newQuantity, ...newProductOf(line) })),
      },
    },
  ];
}

/** The linked line of the change for a subscription provisioning reports on. */
function linkedLineOf(change: ExistingContractChange, subscriptionId: string): ContractChangeLineState {
  const line = change.lines.find((candidate) => candidate.subscriptionId === subscriptionId);
  if (!line) throw conflict('INVALID_STATE', `Subscription ${subscriptionId} is not part of change ${change.changeId}`);
  if (line.linkStatus !== 'LINKED') throw conflict('NOT_LINKED', `Line ${line.lineId} (subscription ${subscriptionId}) was never linked`);
  return line;
}

export function recordVendorConfirmation(command: RecordVendorConfirmation, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
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

export function recordVendorRefusal(command: RecordVendorRefusal, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
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
