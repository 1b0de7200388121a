import { conflict } from '@lp/eventsourcing';
import { Accept, RequestChange, RevokeAcceptance, Withdraw } from './commands';
import { referenceOf } from './event-data';
import { ContractChangeEvent } from './events';
import { ContractChangeState, existingChange, inState } from './state';

/*
 * The change's life before and beside the vendor: requested (from the contract's lock), accepted
 * 受付, acceptance revoked 受付取消, withdrawn キャンセル. Linking and confirming: vendor-link.ts,
 * confirmation.ts.
 */

export const ALREADY_LINKED_MESSAGE = '発注済みの為、受付取消はできません';

/**
 * The request is a translation of the contract's ContractChangeOpened (requestChangeFrom), whose
 * decider has refused a change without lines, a line listed twice and a date that is not one.
 */
export function requestChange(command: RequestChange, state: ContractChangeState): ContractChangeEvent[] {
  if (state.status !== 'NONE') {
    // The request and the recovery worker both carry the opening over: the second is a no-op.
    if (state.changeId === command.changeId) return [];
    throw conflict('ALREADY_EXISTS', `The stream already holds change ${state.changeId}`);
  }
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

export function accept(command: Accept, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  inState(change, ['APPLIED'], 'accept');
  return [{ type: 'ContractChangeAccepted', data: { ...referenceOf(change), acceptedOn: command.acceptedOn } }];
}

export function revokeAcceptance(command: RevokeAcceptance, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  if (change.lines.some((line) => line.linkStatus === 'LINKED')) throw conflict('ALREADY_LINKED', ALREADY_LINKED_MESSAGE);
  inState(change, ['ACCEPTED'], 'revoke the acceptance of');
  return [{ type: 'ContractChangeAcceptanceRevoked', data: { changeId: change.changeId, revokedOn: command.revokedOn } }];
}

export function withdraw(command: Withdraw, state: ContractChangeState): ContractChangeEvent[] {
  const change = existingChange(state);
  inState(change, ['APPLIED', 'ACCEPTED'], 'withdraw');
  // Once the vendor may act (or has acted) on a line, withdrawing would leave it and the contract apart.
  // A line the vendor refused is back where it was, so it does not stand in the way.
  const atVendor = change.lines.filter((line) => line.linkStatus === 'LINKED' && line.vendorStatus !== 'REFUSED');
  if (atVendor.length) {
    throw conflict('ALREADY_LINKED', `Lines already linked to the vendor: ${atVendor.map((line) => line.lineId).join(', ')}`);
  }
  return [{ type: 'ContractChangeWithdrawn', data: { ...referenceOf(change), withdrawnOn: command.withdrawnOn } }];
}
