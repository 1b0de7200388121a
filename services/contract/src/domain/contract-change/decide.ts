import { ContractChangeCommand } from './commands';
import { confirm, confirmCancellation, confirmQuantityChange, confirmRenewal } from './confirmation';
import { ContractChangeEvent } from './events';
import { accept, requestChange, revokeAcceptance, withdraw } from './lifecycle';
import { ContractChangeState } from './state';
import { link, recordVendorConfirmation, recordVendorRefusal } from './vendor-link';

/** One function per command, grouped by concern: the change's own life, the vendor link, the confirmation. */
export function decide(command: ContractChangeCommand, state: ContractChangeState): ContractChangeEvent[] {
  switch (command.type) {
    case 'RequestChange':
      return requestChange(command, state);
    case 'Accept':
      return accept(command, state);
    case 'RevokeAcceptance':
      return revokeAcceptance(command, state);
    case 'Withdraw':
      return withdraw(command, state);

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
  }
}
